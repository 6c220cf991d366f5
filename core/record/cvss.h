// CVSS base scores from vector strings, as the FIRST specifications compute them, so risk does
// not depend on whether a feed also published the number.
#pragma once

#include <string_view>

#include "core/base/result.h"

namespace patchparty::feeds {

// "CVSS:3.1/AV:N/...", "CVSS:3.0/...", v2 "AV:N/AC:L/Au:N/C:P/I:P/A:P" (optionally in
// parentheses), "CVSS:4.0/..." when supported. invalid_argument for a malformed vector or one
// missing a base metric; not_found for a version we do not score.
[[nodiscard]] Result<double> cvss_base_score(std::string_view vector);

// "critical", "high", "medium", "low" or "none" for a v3/v4 score (v2 has no "critical";
// callers that want one use this mapping for every version, as NVD's v3 bands do).
std::string_view cvss_severity(double score);

}  // namespace patchparty::feeds
