// Expiry instants as suppression files write them: RFC 3339 times (core/base/rfc3339_time.h)
// and plain dates.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/base/rfc3339_time.h"

namespace patchparty::suppress {

// An expiry: a date "2027-01-31" covers that whole day in UTC, so it expires at the next midnight
// (2027-02-01T00:00:00Z); an RFC 3339 time expires at that instant. A rule is live while
// now < the returned instant.
std::optional<std::int64_t> parse_expiry(std::string_view text);

}  // namespace patchparty::suppress
