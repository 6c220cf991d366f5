// Instants as documents from outside write them: RFC 3339 times (OpenVEX statements, OSV's
// modified_id.csv, host documents of the fleet) and calendar dates.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace patchparty {

// "2026-11-26T10:00:00Z", "2026-11-26T11:00:00.5+01:00" (fraction dropped) -> unix seconds.
// A separator of 't' or ' ' and a 'z' zone are accepted, as RFC 3339 allows; nothing else is.
std::optional<std::int64_t> parse_rfc3339(std::string_view text);

std::string format_date(std::int64_t unix_seconds);     // "2026-11-26" (UTC)
std::string format_rfc3339(std::int64_t unix_seconds);  // "2026-11-26T10:00:00Z"

// Days since 1970-01-01 of a valid calendar date "YYYY-MM-DD" at the start of `text`.
std::optional<std::int64_t> date_days(std::string_view text);

}  // namespace patchparty
