#include <algorithm>
#include <string_view>

#include "core/report/report_format.h"
#include "exporters/backlog/backlog_writers.h"
#include "exporters/backlog/text_escape.h"

namespace patchparty::exporters {

namespace {

std::string flags(const BacklogFacts& f) {
  std::string s;
  auto add = [&](std::string_view flag) { s += (s.empty() ? "" : ",") + std::string(flag); };
  if (f.kev) add(f.kev_ransomware ? "KEV+RANSOM" : "KEV");
  if (f.overdue) add("OVERDUE");
  if (f.new_since_last_party) add("NEW");
  if (std::any_of(f.notes.begin(), f.notes.end(),
                  [](const std::string& n) { return n.starts_with("suppression expired"); }))
    add("EXPIRED-SUPPRESSION");
  if (f.third_party) add("THIRD-PARTY");
  return s.empty() ? "-" : s;
}

std::string where(const BacklogFacts& f) {
  return f.project.empty() ? f.host : f.project + "@" + f.host;
}

std::string vulns(const BacklogFacts& f) {
  if (f.vulnerabilities.empty()) return "-";
  std::string s = f.vulnerabilities.front().id;
  if (f.vulnerabilities.size() > 1) s += " +" + std::to_string(f.vulnerabilities.size() - 1);
  return s;
}

// Terminals render control characters; untrusted names must not move the cursor.
std::string printable(std::string_view s) {
  std::string out;
  for (char c : s) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  return out;
}

}  // namespace

std::string backlog_table(const Backlog& b) {
  std::string out;
  std::vector<std::vector<std::string>> rows{{"#", "PRIORITY", "DUE", "RISK", "SEVERITY", "FLAGS",
                                              "PACKAGE", "TARGET", "WHERE", "VULNERABILITIES"}};
  for (std::size_t i = 0; i < b.tasks.size(); ++i) {
    const BacklogTask& t = b.tasks[i];
    rows.push_back(
        {std::to_string(i + 1), std::string(priority_name(t.priority)), format_date(t.due),
         format_fixed(t.max_risk, 1), std::string(severity_name(t.max_severity)), flags(t),
         printable(t.package),
         t.third_party ? "from " + printable(t.supplier) : ">= " + printable(t.target_version),
         printable(where(t)), vulns(t)});
  }
  out += "Upgrade tasks: " + std::to_string(b.tasks.size()) + "\n";
  out += aligned_columns(rows);

  if (!b.watch.empty()) {
    std::vector<std::vector<std::string>> watch{
        {"#", "DUE", "RISK", "SEVERITY", "FLAGS", "PACKAGE", "STATUS", "WHERE", "VULNERABILITIES"}};
    for (std::size_t i = 0; i < b.watch.size(); ++i) {
      const WatchItem& w = b.watch[i];
      std::string status;
      for (FixStatus s : w.fix_statuses)
        status += (status.empty() ? "" : ",") + std::string(fix_status_label(s));
      watch.push_back({std::to_string(i + 1), format_date(w.due), format_fixed(w.max_risk, 1),
                       std::string(severity_name(w.max_severity)), flags(w), printable(w.package),
                       status, printable(where(w)), vulns(w)});
    }
    out += "\nWatch / mitigate (no fix yet): " + std::to_string(b.watch.size()) + "\n";
    out += aligned_columns(watch);
  }
  if (!b.suppressed.empty()) {
    std::vector<std::vector<std::string>> sup{
        {"VULNERABILITY", "PACKAGE", "WHERE", "EXPIRES", "REASON"}};
    for (const SuppressedEntry& e : b.suppressed) {
      const std::string where_ = e.project.empty() ? e.host : e.project + "@" + e.host;
      sup.push_back({printable(e.vulnerability), printable(e.package + " " + e.installed),
                     printable(where_), e.expires ? format_date(*e.expires) : "never",
                     e.reason.empty() ? "-" : printable(e.reason)});
    }
    out += "\nSuppressed: " + std::to_string(b.suppressed.size()) + "\n";
    out += aligned_columns(sup);
  }
  return out;
}

}  // namespace patchparty::exporters
