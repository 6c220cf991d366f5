// Small formatting rules every backlog and scan writer shares, so the outputs agree with each
// other byte for byte: UTC dates, fixed decimals, status names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/model/finding.h"
#include "core/model/model.h"

namespace patchparty::exporters {

std::string format_date(std::int64_t unix_seconds);     // "2026-11-26" (UTC)
std::string format_rfc3339(std::int64_t unix_seconds);  // "2026-11-26T10:00:00Z"
// "YYYY-MM-DD" as the unix second its UTC day starts; nullopt when malformed.
std::optional<std::int64_t> parse_date(std::string_view date);
// A fixed number of decimals, never locale-dependent: format_fixed(7.25, 1) == "7.3".
std::string format_fixed(double value, int decimals);
// Rounded to `decimals` places, for JSON numbers that must not show binary noise.
double round_to(double value, int decimals);
// fix_status_name() ("fixed", "no-dsa", "end-of-life", ...), the spelling every output shares.
std::string_view fix_status_label(FixStatus s);

}  // namespace patchparty::exporters
