#include <sstream>

#include "core/report/json_output.h"
#include "core/report/report_format.h"
#include "core/report/restart_json.h"
#include "exporters/backlog/fleet_writers.h"

namespace patchparty::exporters {

namespace {

void command(JsonOut& j, const std::optional<fleet::HostCommand>& c) {
  j.key("command");
  if (!c) {
    j.null();
    return;
  }
  j.start_object();
  j.field("argv", c->argv);
  j.field_or_null("directory", c->directory);
  j.field("shell", c->shell);
  j.end_object();
}

void restart(JsonOut& j, const std::optional<fleet::HostRestart>& r) {
  j.key("restart");
  if (!r) {
    j.null();
    return;
  }
  j.start_object();
  j.field("checked_at", format_rfc3339(r->checked_at));
  j.field("reboot_required", r->reboot_required);
  j.field("kernel_outdated", r->kernel_outdated);
  j.field("reboot_packages", r->reboot_packages);
  j.field("units", r->units);
  j.field_int("stale_processes", r->stale_processes);
  j.end_object();
}

}  // namespace

void write_fleet_backlog_json(const fleet::FleetBacklog& b, std::ostream& os) {
  JsonOut j;
  j.start_object();
  j.field("schema", kFleetBacklogJsonSchema);
  j.field("generated_at", format_rfc3339(b.generated_at));

  const fleet::FleetSummary& s = b.summary;
  j.key("summary");
  j.start_object();
  j.field_int("hosts", s.hosts);
  j.field_int("hosts_not_included", s.hosts_not_included);
  j.field_int("tasks", s.tasks);
  j.key("tasks_by_priority");
  j.start_object();
  j.field_int("now", s.tasks_now);
  j.field_int("next", s.tasks_next);
  j.field_int("later", s.tasks_later);
  j.end_object();
  j.field_int("overdue", s.overdue);
  j.field_int("kev", s.kev);
  j.field_int("host_tasks", s.host_tasks);
  j.field_int("hosts_to_reboot", s.hosts_to_reboot);
  j.field_int("hosts_with_restarts", s.hosts_with_restarts);
  j.end_object();

  j.key("hosts");
  j.start_array();
  for (const fleet::IncludedHost& h : b.hosts) {
    j.start_object();
    j.field("host", h.host);
    j.field("instance", h.instance);
    j.field("url", h.url);
    j.field_or_null("wave", h.wave);
    j.field("generated_at", format_rfc3339(h.generated_at));
    j.field_int("tasks", h.tasks);
    j.field_int("watch", h.watch);
    j.field_int("suppressed", h.suppressed);
    restart(j, h.restart);
    j.end_object();
  }
  j.end_array();

  write_hosts_not_included(j, b.not_included);

  j.key("tasks");
  j.start_array();
  for (std::size_t i = 0; i < b.tasks.size(); ++i) {
    const fleet::FleetTask& t = b.tasks[i];
    j.start_object();
    j.field_int("rank", static_cast<std::int64_t>(i + 1));
    j.field("title", fleet_task_title(t));
    j.field("priority", t.priority);
    j.field_or_null("project", t.project);
    j.field("ecosystem", t.ecosystem);
    j.field("package", t.package);
    j.field_or_null("target_version", t.target_version);
    j.field_or_null("distribution_fixed_version", t.distribution_fixed_version);
    j.field_or_null("origin", t.origin);
    j.field_or_null("supplier", t.supplier);
    j.field_number("max_risk", round_to(t.max_risk, 2));
    j.field("max_severity", severity_name(t.max_severity));
    j.field("kev", t.kev);
    j.field("kev_ransomware", t.kev_ransomware);
    j.field("first_seen", format_rfc3339(t.first_seen));
    j.field("due", format_rfc3339(t.due));
    j.field("overdue", t.overdue);
    j.field("installed_versions_differ", t.versions_differ);
    j.field("notes", t.notes);
    j.field_int("host_count", static_cast<std::int64_t>(t.hosts.size()));
    j.key("hosts");
    j.start_array();
    for (const fleet::TaskHost& h : t.hosts) {
      j.start_object();
      j.field("host", h.host);
      j.field("instance", h.instance);
      j.field_or_null("wave", h.wave);
      j.field("priority", h.priority);
      j.field("installed", h.installed);
      j.field("binaries", h.binaries);
      j.field("locations", h.locations);
      j.field("due", format_rfc3339(h.due));
      j.field("overdue", h.overdue);
      command(j, h.command);
      j.end_object();
    }
    j.end_array();
    j.key("vulnerabilities");
    j.start_array();
    for (const fleet::FleetVulnerability& v : t.vulnerabilities) {
      j.start_object();
      j.field("id", v.id);
      j.field("aliases", v.aliases);
      j.field("severity", severity_name(v.severity));
      j.field_number("cvss", v.cvss ? std::optional(round_to(*v.cvss, 1)) : std::nullopt);
      j.field("kev", v.kev);
      j.field("kev_ransomware", v.kev_ransomware);
      j.field_number("risk", round_to(v.risk, 2));
      j.end_object();
    }
    j.end_array();
    j.end_object();
    // A thousand hosts' plan runs to tens of megabytes: never held whole.
    if (i % 64 == 63) j.drain(os);
  }
  j.end_array();
  j.end_object();
  j.finish(os);
}

std::string fleet_backlog_json(const fleet::FleetBacklog& b) {
  std::ostringstream os;
  write_fleet_backlog_json(b, os);
  return std::move(os).str();
}

}  // namespace patchparty::exporters
