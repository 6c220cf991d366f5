#include "core/report/report_format.h"
#include "exporters/backlog/fleet_writers.h"
#include "exporters/backlog/text_escape.h"

namespace patchparty::exporters {

std::string fleet_backlog_csv(const fleet::FleetBacklog& b) {
  std::string out;
  for (const char* c : kFleetBacklogCsvColumns) {
    if (!out.empty()) out += ',';
    out += c;
  }
  out += "\r\n";
  // One row per task and host: a spreadsheet filters by host or wave, and sorts by rank.
  for (std::size_t i = 0; i < b.tasks.size(); ++i) {
    const fleet::FleetTask& t = b.tasks[i];
    std::vector<std::string> ids;
    for (const auto& v : t.vulnerabilities) ids.push_back(v.id);
    for (const fleet::TaskHost& h : t.hosts) {
      const std::vector<std::string> cells = {std::to_string(i + 1),
                                              t.priority,
                                              t.ecosystem,
                                              t.project,
                                              t.package,
                                              t.target_version,
                                              std::to_string(t.hosts.size()),
                                              h.host,
                                              h.instance,
                                              h.wave,
                                              joined(h.installed, " "),
                                              joined(h.binaries, " "),
                                              std::string(severity_name(t.max_severity)),
                                              format_fixed(t.max_risk, 2),
                                              t.kev ? "true" : "false",
                                              t.kev_ransomware ? "true" : "false",
                                              format_date(t.due),
                                              t.overdue ? "true" : "false",
                                              joined(ids, " "),
                                              t.origin,
                                              t.supplier,
                                              h.command ? h.command->shell : std::string(),
                                              h.command ? h.command->directory : std::string()};
      for (std::size_t c = 0; c < cells.size(); ++c) out += (c ? "," : "") + csv_field(cells[c]);
      out += "\r\n";
    }
  }
  return out;
}

}  // namespace patchparty::exporters
