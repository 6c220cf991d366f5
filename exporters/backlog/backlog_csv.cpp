#include <string_view>

#include "core/report/report_format.h"
#include "exporters/backlog/backlog_writers.h"
#include "exporters/backlog/text_escape.h"
#include "exporters/backlog/upgrade_command.h"

namespace patchparty::exporters {

namespace {

std::string_view yes_no(bool b) {
  return b ? "true" : "false";
}

}  // namespace

std::string backlog_csv(const Backlog& b) {
  std::string out;
  auto row = [&](const std::vector<std::string>& fields) {
    for (std::size_t i = 0; i < fields.size(); ++i) {
      if (i) out += ',';
      out += csv_field(fields[i]);
    }
    out += "\r\n";
  };
  row(std::vector<std::string>(std::begin(kBacklogCsvColumns), std::end(kBacklogCsvColumns)));
  for (std::size_t i = 0; i < b.tasks.size(); ++i) {
    const BacklogTask& t = b.tasks[i];
    std::vector<std::string> ids, aliases;
    for (const auto& v : t.vulnerabilities) {
      ids.push_back(v.id);
      aliases.insert(aliases.end(), v.aliases.begin(), v.aliases.end());
    }
    std::vector<std::string> notes = t.notes;
    if (t.versions_compared_as_text) notes.insert(notes.begin(), "fixed versions compared as text");
    row({std::to_string(i + 1),
         std::string(priority_name(t.priority)),
         t.host,
         t.project,
         t.ecosystem,
         t.package,
         joined(t.binaries, " "),
         joined(t.installed, " "),
         t.target_version,
         joined(ids, " "),
         joined(aliases, " "),
         std::string(severity_name(t.max_severity)),
         format_fixed(t.max_risk, 1),
         std::string(yes_no(t.kev)),
         std::string(yes_no(t.kev_ransomware)),
         format_date(t.first_seen),
         format_date(t.due),
         std::string(yes_no(t.overdue)),
         std::string(yes_no(t.new_since_last_party)),
         std::string(fix_status_label(t.fix_status)),
         joined(notes, "; "),
         std::string(facts_origin(t)),
         t.supplier,
         t.command ? shell_command(*t.command) : std::string()});
  }
  return out;
}

}  // namespace patchparty::exporters
