// Small formatting rules every backlog and scan writer shares, so the outputs agree with each
// other byte for byte: UTC dates, fixed decimals, status names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/rfc3339_time.h"
#include "core/model/finding.h"
#include "core/model/model.h"

namespace patchparty::exporters {

using patchparty::format_date;
using patchparty::format_rfc3339;
// "YYYY-MM-DD" as the unix second its UTC day starts; nullopt when malformed.
std::optional<std::int64_t> parse_date(std::string_view date);
// A fixed number of decimals, never locale-dependent: format_fixed(7.25, 1) == "7.3".
std::string format_fixed(double value, int decimals);
// Rounded to `decimals` places, for JSON numbers that must not show binary noise.
double round_to(double value, int decimals);
// fix_status_name() ("fixed", "no-dsa", "end-of-life", ...), the spelling every output shares.
std::string_view fix_status_label(FixStatus s);

}  // namespace patchparty::exporters
