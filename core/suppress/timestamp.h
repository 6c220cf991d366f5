// Instants as suppression files write them: RFC 3339 times and plain dates.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace patchparty::suppress {

// "2026-11-26T10:00:00Z", "2026-11-26T11:00:00.5+01:00" (fraction dropped) -> unix seconds.
// A separator of 't' or ' ' and a 'z' zone are accepted, as RFC 3339 allows; nothing else is.
std::optional<std::int64_t> parse_rfc3339(std::string_view text);

// An expiry: a date "2027-01-31" covers that whole day in UTC, so it expires at the next midnight
// (2027-02-01T00:00:00Z); an RFC 3339 time expires at that instant. A rule is live while
// now < the returned instant.
std::optional<std::int64_t> parse_expiry(std::string_view text);

}  // namespace patchparty::suppress
