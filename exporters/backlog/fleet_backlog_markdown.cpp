#include "core/report/report_format.h"
#include "exporters/backlog/fleet_writers.h"
#include "exporters/backlog/text_escape.h"

namespace patchparty::exporters {

namespace {

constexpr std::size_t kVulnerabilitiesShown = 8;

std::string join_code(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + md_code(i);
  return out;
}

std::string flags_line(const fleet::FleetTask& t) {
  std::string line = "Priority **" + t.priority + "**, max risk " + format_fixed(t.max_risk, 2) +
                     ", " + std::string(severity_name(t.max_severity)) + ", due " +
                     format_date(t.due);
  if (t.overdue) line += " (**overdue**)";
  if (t.kev)
    line +=
        t.kev_ransomware ? "; **known exploited, used by ransomware**" : "; **known exploited**";
  return line;
}

std::string task_heading(std::size_t rank, const fleet::FleetTask& t) {
  const std::string scope =
      t.project.empty() ? md_text(t.ecosystem)
                        : "project " + md_text(t.project) + " (" + md_text(t.ecosystem) + ")";
  const std::string hosts =
      std::to_string(t.hosts.size()) + (t.hosts.size() == 1 ? " host" : " hosts");
  if (t.target_version.empty())
    return "- [ ] **" + std::to_string(rank) + ". Update " + md_code(t.package) + " from " +
           md_text(t.supplier) + "** (third party, " + scope + ") on " + hosts;
  return "- [ ] **" + std::to_string(rank) + ". Upgrade " + md_code(t.package) +
         " to >= " + md_code(t.target_version) + "** (" + scope + ") on " + hosts;
}

void host_lines(std::string& out, const fleet::FleetTask& t) {
  std::string wave = "\x01";  // no host has this wave: the first host opens a group
  for (const fleet::TaskHost& h : t.hosts) {
    if (h.wave != wave) {
      wave = h.wave;
      out += "  - " + (wave.empty() ? std::string("No wave") : "Wave " + md_code(wave)) + ":\n";
    }
    out += "    - " + md_text(h.host) + " (" + md_code(h.instance) + "): " + join_code(h.binaries) +
           " at " + join_code(h.installed);
    // The shell form already changes to the project's directory.
    if (h.command) out += "; run " + md_code(h.command->shell);
    out += "\n";
  }
}

void restart_section(std::string& out, const fleet::FleetBacklog& b) {
  out += "\n## Restarts and reboots\n\n";
  bool any = false;
  for (const fleet::IncludedHost& h : b.hosts) {
    if (!h.restart) continue;
    const fleet::HostRestart& r = *h.restart;
    if (!r.reboot_required && !r.kernel_outdated && r.units.empty()) continue;
    if (!any) {
      out += "| Host | Wave | Reboot | Services to restart |\n|---|---|---|---|\n";
      any = true;
    }
    std::string reboot = r.reboot_required ? "required" : "";
    if (r.kernel_outdated) reboot += std::string(reboot.empty() ? "" : ", ") + "new kernel";
    out += "| " + md_text(h.host) + " (" + md_code(h.instance) + ") | " +
           (h.wave.empty() ? std::string("-") : md_code(h.wave)) + " | " +
           (reboot.empty() ? std::string("-") : reboot) + " | " +
           (r.units.empty() ? std::string("-") : join_code(r.units)) + " |\n";
  }
  if (!any) out += "No host needs a reboot or a service restart.\n";
}

}  // namespace

std::string fleet_backlog_markdown(const fleet::FleetBacklog& b) {
  const fleet::FleetSummary& s = b.summary;
  std::string out = "# Fleet patch party backlog\n\n";
  out += "Generated " + format_rfc3339(b.generated_at) + " from " + std::to_string(s.hosts) +
         (s.hosts == 1 ? " host" : " hosts");
  if (s.hosts_not_included > 0)
    out += "; **" + std::to_string(s.hosts_not_included) +
           " not included** (below): this backlog is partial";
  out += ".\n";

  out += "\n## Summary\n\n| | Count |\n|---|---:|\n";
  auto row = [&](std::string_view label, std::int64_t n) {
    out += "| " + std::string(label) + " | " + std::to_string(n) + " |\n";
  };
  row("Upgrade tasks (one per upgrade across hosts)", s.tasks);
  row("Now (known exploited, overdue or critical)", s.tasks_now);
  row("Next (high)", s.tasks_next);
  row("Later", s.tasks_later);
  row("Overdue", s.overdue);
  row("Known exploited (KEV)", s.kev);
  row("Host tasks merged", s.host_tasks);
  row("Hosts included", s.hosts);
  row("Hosts not included", s.hosts_not_included);
  row("Hosts to reboot", s.hosts_to_reboot);
  row("Hosts with services to restart", s.hosts_with_restarts);

  if (!b.not_included.empty()) {
    out += "\n## Hosts not included\n\n| Host | URL | Reason |\n|---|---|---|\n";
    for (const fleet::ExcludedHost& h : b.not_included)
      out +=
          "| " + md_code(h.instance) + " | " + md_code(h.url) + " | " + md_text(h.reason) + " |\n";
  }

  out += "\n## Hosts\n\n| Host | Wave | Tasks | Watch | Suppressed | Backlog of |\n";
  out += "|---|---|---:|---:|---:|---|\n";
  for (const fleet::IncludedHost& h : b.hosts)
    out += "| " + md_text(h.host) + " (" + md_code(h.instance) + ") | " +
           (h.wave.empty() ? std::string("-") : md_code(h.wave)) + " | " + std::to_string(h.tasks) +
           " | " + std::to_string(h.watch) + " | " + std::to_string(h.suppressed) + " | " +
           format_rfc3339(h.generated_at) + " |\n";

  out += "\n## Tasks\n\n";
  if (b.tasks.empty()) out += "Nothing to upgrade.\n";
  for (std::size_t i = 0; i < b.tasks.size(); ++i) {
    const fleet::FleetTask& t = b.tasks[i];
    out += task_heading(i + 1, t) + "\n";
    out += "  - " + flags_line(t) + "\n";
    if (t.versions_differ) out += "  - Note: the hosts run different versions\n";
    for (const auto& n : t.notes) out += "  - Note: " + md_text(n) + "\n";
    std::string fixes;
    for (std::size_t v = 0; v < t.vulnerabilities.size() && v < kVulnerabilitiesShown; ++v)
      fixes += (fixes.empty() ? "" : ", ") + md_text(t.vulnerabilities[v].id) +
               (t.vulnerabilities[v].kev ? " (KEV)" : "");
    if (t.vulnerabilities.size() > kVulnerabilitiesShown)
      fixes += " and " + std::to_string(t.vulnerabilities.size() - kVulnerabilitiesShown) + " more";
    out += "  - Fixes: " + (fixes.empty() ? std::string("-") : fixes) + "\n";
    host_lines(out, t);
  }
  restart_section(out, b);
  return out;
}

}  // namespace patchparty::exporters
