#include "core/report/report_format.h"
#include "exporters/backlog/fleet_writers.h"
#include "exporters/backlog/text_escape.h"

namespace patchparty::exporters {

namespace {

std::string flags(const fleet::FleetTask& t) {
  std::string s;
  auto add = [&](std::string_view flag) { s += (s.empty() ? "" : ",") + std::string(flag); };
  if (t.kev) add(t.kev_ransomware ? "KEV+RANSOM" : "KEV");
  if (t.overdue) add("OVERDUE");
  if (t.target_version.empty()) add("THIRD-PARTY");
  return s.empty() ? "-" : s;
}

// "canary:web-1 1:web-2,web-3"
std::string hosts_by_wave(const fleet::FleetTask& t) {
  std::string out, wave = "\x01";
  for (const fleet::TaskHost& h : t.hosts) {
    if (h.wave != wave) {
      wave = h.wave;
      out += (out.empty() ? "" : " ") + (wave.empty() ? std::string("-") : wave) + ":";
    } else {
      out += ",";
    }
    out += h.host;
  }
  return out;
}

}  // namespace

std::string fleet_backlog_table(const fleet::FleetBacklog& b) {
  std::vector<std::vector<std::string>> rows = {{"RANK", "PRIORITY", "PACKAGE", "WHERE", "TARGET",
                                                 "HOSTS", "RISK", "DUE", "FLAGS", "BY WAVE"}};
  for (std::size_t i = 0; i < b.tasks.size(); ++i) {
    const fleet::FleetTask& t = b.tasks[i];
    rows.push_back({std::to_string(i + 1), t.priority, t.package,
                    t.project.empty() ? t.ecosystem : t.project + " (" + t.ecosystem + ")",
                    t.target_version.empty() ? "from " + t.supplier : t.target_version,
                    std::to_string(t.hosts.size()), format_fixed(t.max_risk, 1), format_date(t.due),
                    flags(t), hosts_by_wave(t)});
  }
  std::string out = aligned_columns(rows);
  for (const fleet::ExcludedHost& h : b.not_included)
    out += "not included: " + h.instance + " (" + h.url + "): " + h.reason + "\n";
  return out;
}

std::string render_fleet_backlog(const fleet::FleetBacklog& b, BacklogFormat f) {
  switch (f) {
    case BacklogFormat::markdown:
      return fleet_backlog_markdown(b);
    case BacklogFormat::csv:
      return fleet_backlog_csv(b);
    case BacklogFormat::json:
      return fleet_backlog_json(b);
    case BacklogFormat::table:
      return fleet_backlog_table(b);
  }
  return fleet_backlog_table(b);
}

void write_fleet_backlog(const fleet::FleetBacklog& b, BacklogFormat f, std::ostream& os) {
  if (f == BacklogFormat::json) {
    write_fleet_backlog_json(b, os);
    return;
  }
  os << render_fleet_backlog(b, f);
}

std::string_view fleet_backlog_file_name(BacklogFormat f) {
  switch (f) {
    case BacklogFormat::markdown:
      return "fleet-backlog.md";
    case BacklogFormat::csv:
      return "fleet-backlog.csv";
    case BacklogFormat::json:
      return "fleet-backlog.json";
    case BacklogFormat::table:
      return "fleet-backlog.txt";
  }
  return "fleet-backlog.txt";
}

}  // namespace patchparty::exporters
