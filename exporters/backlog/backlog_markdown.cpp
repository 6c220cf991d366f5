#include <string_view>

#include "core/report/report_format.h"
#include "exporters/backlog/backlog_writers.h"
#include "exporters/backlog/text_escape.h"
#include "exporters/backlog/upgrade_command.h"

namespace patchparty::exporters {

namespace {

constexpr std::size_t kMaxSummaryBytes = 160;

// Cut on a UTF-8 character boundary so a long summary never ends in half a character.
std::string shorten(std::string_view s) {
  if (s.size() <= kMaxSummaryBytes) return std::string(s);
  std::size_t cut = kMaxSummaryBytes;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "...";
}

std::string join_code(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + md_code(i);
  return out;
}

std::string where(const BacklogFacts& f) {
  return md_text(task_scope(f)) + " (" + md_text(f.ecosystem) + ")";
}

// A third party's package gets the distribution's fix named as such, never as its target.
std::string vulnerability_line(const BacklogVulnerability& v, bool with_fix_status,
                               bool third_party = false) {
  std::string line = md_link(v.id, v.url) + ": " + std::string(severity_name(v.severity));
  if (v.cvss) line += ", CVSS " + format_fixed(*v.cvss, 1);
  if (v.kev) line += v.kev_ransomware ? ", **KEV** (ransomware)" : ", **KEV**";
  line += ", risk " + format_fixed(v.risk, 1);
  if (with_fix_status) line += ", " + std::string(fix_status_label(v.fix_status));
  if (!v.fixed_version.empty())
    line += (third_party ? ", the distribution fixed it in " : ", fixed in ") +
            md_code(v.fixed_version);
  if (!v.summary.empty()) line += " - " + md_text(shorten(v.summary));
  if (!v.aliases.empty()) {
    line += " (aliases:";
    for (const auto& a : v.aliases) line += " " + md_text(a);
    line += ")";
  }
  return line;
}

std::string flags_line(const BacklogFacts& f) {
  std::string line = "priority " + std::string(priority_name(f.priority));
  if (f.kev) line += f.kev_ransomware ? "; **KEV** (ransomware)" : "; **KEV**";
  if (f.overdue) line += "; **OVERDUE**";
  line += "; due " + format_date(f.due);
  line += "; risk " + format_fixed(f.max_risk, 1);
  line += "; " + std::string(severity_name(f.max_severity));
  line += "; first seen " + format_date(f.first_seen);
  if (f.new_since_last_party) line += "; new since last party";
  return line;
}

void installed_line(std::string& out, const BacklogFacts& f) {
  out += "  - Installed: " + join_code(f.binaries) + " at " + join_code(f.installed) + "\n";
  if (!f.locations.empty()) out += "  - From: " + join_code(f.locations) + "\n";
}

std::string md_cell(std::string_view s) {
  return s.empty() ? "-" : md_text(s);
}

// Units and processes still running old code: the part of past patches not finished yet.
void restart_section(std::string& out, const RestartReport& r) {
  out += "\n## Restart needed\n\n";
  out += "Checked " + format_rfc3339(r.taken_at) + ".";
  if (r.permission_denied > 0)
    out += " " + std::to_string(r.permission_denied) +
           " processes of other users could not be inspected.";
  if (r.truncated) out += " Stopped at restart.max_processes; more may need a restart.";
  out += "\n\n";
  if (r.units.empty() && r.processes.empty()) {
    out += "No service or process runs a deleted or replaced library.\n";
    return;
  }
  for (const RestartUnit& u : r.units) {
    std::string pids;
    for (int pid : u.pids) pids += (pids.empty() ? "" : ", ") + std::to_string(pid);
    out += "- [ ] Restart " + md_code(u.unit) + " (pid " + pids + ")\n";
    for (const auto& l : u.libraries) out += "  - " + md_code(l) + "\n";
  }
  if (!r.processes.empty()) {
    out += "\nOutside any service (log out and in, or restart by hand):\n\n";
    for (const StaleProcess& p : r.processes) {
      out += "- " + md_code(p.comm) + " pid " + std::to_string(p.pid);
      if (!p.unit.empty()) out += " in " + md_code(p.unit);
      out += "\n";
      for (const auto& f : p.files)
        out += "  - " + md_code(f.path) + " (" + stale_reason_name(f.reason) + ")\n";
    }
  }
}

}  // namespace

std::string backlog_markdown(const Backlog& b) {
  std::string out;
  out += "# Patch party backlog: " + md_text(b.host) + "\n\n";
  out += "Generated " + format_rfc3339(b.generated_at) + ".";
  out +=
      " Last party: " + (b.last_party ? format_rfc3339(*b.last_party) : std::string("none")) + ".";
  out += " Next party: " +
         (b.next_party ? format_rfc3339(*b.next_party) : std::string("not scheduled")) + ".\n";
  if (!b.wave.empty()) out += "\nWave: " + md_code(b.wave) + ".\n";
  if (b.since_last_party) out += "\nOnly what is new since the last party is listed.\n";
  if (b.restart && b.restart->reboot_required) {
    out += "\n**Reboot required**";
    std::string pkgs;
    for (const auto& p : b.restart->reboot_packages)
      pkgs += (pkgs.empty() ? "" : ", ") + md_code(p);
    out += pkgs.empty() ? std::string(".\n") : " (asked for by " + pkgs + ").\n";
  }
  if (b.restart && b.restart->kernel_outdated)
    out += "\n**Reboot to the new kernel**: running " + md_code(b.restart->running_kernel) +
           ", installed " + md_code(b.restart->newest_kernel) + ".\n";

  const BacklogSummary& s = b.summary;
  out += "\n## Summary\n\n";
  out += "| | Count |\n|---|---:|\n";
  auto row = [&](std::string_view label, std::size_t n) {
    out += "| " + std::string(label) + " | " + std::to_string(n) + " |\n";
  };
  row("Upgrade tasks", s.tasks);
  row("Now (known exploited, overdue or critical)", s.tasks_now);
  row("Next (high)", s.tasks_next);
  row("Later", s.tasks_later);
  row("Overdue", s.overdue);
  row("Known exploited (KEV)", s.kev);
  row("New since last party", s.new_since_last_party);
  row("Watch / mitigate (no fix yet)", s.watch);
  row("Suppressed", s.suppressed);
  if (b.restart) row("Units to restart", b.restart->units.size());

  if (b.restart) restart_section(out, *b.restart);

  out += "\n## Tasks\n\n";
  if (b.tasks.empty()) out += "Nothing to upgrade.\n";
  for (std::size_t i = 0; i < b.tasks.size(); ++i) {
    const BacklogTask& t = b.tasks[i];
    if (t.third_party) {
      out += "- [ ] **" + std::to_string(i + 1) + ". Update " + md_code(t.package) + " from " +
             md_text(t.supplier) + "** (third party) on " + where(t) + "\n";
    } else {
      out += "- [ ] **" + std::to_string(i + 1) + ". Upgrade " + md_code(t.package) +
             " to >= " + md_code(t.target_version) + "** on " + where(t) + "\n";
    }
    out += "  - " + flags_line(t) + "\n";
    installed_line(out, t);
    if (t.versions_compared_as_text)
      out += "  - Note: the fixed versions could not be ordered by the " + md_text(t.ecosystem) +
             " rules; the target was chosen by text order, check it\n";
    for (const auto& n : t.notes) out += "  - Note: " + md_text(n) + "\n";
    if (t.command) out += "  - Run: " + md_code(shell_command(*t.command)) + "\n";
    out += "  - Fixes:\n";
    for (const auto& v : t.vulnerabilities)
      out += "    - " + vulnerability_line(v, false, t.third_party) + "\n";
  }

  out += "\n## Watch / mitigate\n\n";
  if (b.watch.empty()) {
    out += "Nothing without a fix.\n";
  } else {
    out += "No fixed version to install yet: mitigate, accept or wait.\n\n";
  }
  for (std::size_t i = 0; i < b.watch.size(); ++i) {
    const WatchItem& w = b.watch[i];
    std::string statuses;
    for (FixStatus st : w.fix_statuses)
      statuses += (statuses.empty() ? "" : ", ") + std::string(fix_status_label(st));
    out += "- **" + std::to_string(i + 1) + ". " + md_code(w.package) + "** on " + where(w) + " (" +
           statuses + ")\n";
    out += "  - " + flags_line(w) + "\n";
    installed_line(out, w);
    for (const auto& n : w.notes) out += "  - Note: " + md_text(n) + "\n";
    for (const auto& v : w.vulnerabilities) out += "  - " + vulnerability_line(v, true) + "\n";
  }

  out += "\n## Suppressed\n\n";
  if (b.suppressed.empty()) {
    out += "Nothing suppressed.\n";
  } else {
    out += "| Vulnerability | Package | Where | Severity | Reason | Rule | Expires |\n";
    out += "|---|---|---|---|---|---|---|\n";
    for (const SuppressedEntry& e : b.suppressed) {
      std::string reason = e.reason;
      if (!e.vex_status.empty()) {
        reason += (reason.empty() ? "" : " ") + std::string("(VEX ") + e.vex_status;
        if (!e.vex_justification.empty()) reason += ": " + e.vex_justification;
        reason += ")";
      }
      BacklogFacts place;
      place.host = e.host;
      place.project = e.project;
      out += "| " + md_cell(e.vulnerability) + " | " + md_cell(e.package + " " + e.installed) +
             " | " + md_text(task_scope(place)) + " | " + std::string(severity_name(e.severity)) +
             " | " + md_cell(reason) + " | " + md_cell(e.rule) + " | " +
             (e.expires ? format_date(*e.expires) : "never") + " |\n";
    }
  }
  return out;
}

}  // namespace patchparty::exporters
