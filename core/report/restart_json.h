// The RestartReport as JSON: what the store keeps and what `patchparty restart-needed --json`
// prints ({"schema": "patchparty.restart/v1", ...}).
#pragma once

#include <string>
#include <string_view>

#include "core/base/result.h"
#include "core/model/restart_report.h"

namespace patchparty::restart {

inline constexpr const char* kRestartJsonSchema = "patchparty.restart/v1";

std::string restart_report_json(const RestartReport& report, bool pretty = false);
[[nodiscard]] Result<RestartReport> restart_report_from_json(std::string_view json);

}  // namespace patchparty::restart
