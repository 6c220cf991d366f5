// The RestartReport as JSON, the one writer for it: the record the store keeps and
// `patchparty restart-needed --json` prints ({"schema": "patchparty.restart/v1", ...}), and the
// "restart" section of the backlog's JSON.
#pragma once

#include <string>
#include <string_view>

#include "core/base/result.h"
#include "core/model/restart_report.h"
#include "core/report/json_output.h"

namespace patchparty::restart {

inline constexpr const char* kRestartJsonSchema = "patchparty.restart/v1";

enum class RestartJsonForm {
  // patchparty.restart/v1, read back by restart_report_from_json: the schema, "taken_at" in unix
  // seconds, every field, empty strings as "".
  record,
  // The backlog's "restart" section, for people and dashboards: no schema, "checked_at" as
  // RFC 3339, empty kernels and process units as null, no processes_scanned or unit_source.
  backlog_section,
};

// One report as a JSON object at the writer's position.
void write_restart_report(exporters::JsonOut& j, const RestartReport& report, RestartJsonForm form);

// The record as a document: compact for the store, pretty (with a final newline) for a
// terminal. Strings are kept byte for byte, so a path that is not UTF-8 reads back as it was.
std::string restart_report_json(const RestartReport& report, bool pretty = false);
[[nodiscard]] Result<RestartReport> restart_report_from_json(std::string_view json);

}  // namespace patchparty::restart
