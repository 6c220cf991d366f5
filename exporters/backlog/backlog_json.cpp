#include "core/report/finding_json.h"
#include "core/report/json_output.h"
#include "core/report/report_format.h"
#include "core/report/restart_json.h"
#include "exporters/backlog/backlog_writers.h"
#include "exporters/backlog/upgrade_command.h"

namespace patchparty::exporters {

namespace {

void vulnerability(JsonOut& j, const BacklogVulnerability& v) {
  j.start_object();
  j.field("id", v.id);
  j.field("aliases", v.aliases);
  j.field("advisories", v.advisories);
  j.field_or_null("summary", v.summary);
  j.field_or_null("url", v.url);
  j.field("severity", severity_name(v.severity));
  j.field_number("cvss", v.cvss ? std::optional(round_to(*v.cvss, 1)) : std::nullopt);
  j.field("kev", v.kev);
  j.field("kev_ransomware", v.kev_ransomware);
  j.field_number("risk", round_to(v.risk, 2));
  j.field_or_null("fixed_version", v.fixed_version);
  j.field("fix_status", fix_status_label(v.fix_status));
  j.end_object();
}

void facts(JsonOut& j, const BacklogFacts& f) {
  j.field("priority", priority_name(f.priority));
  j.field("host", f.host);
  j.field_or_null("project", f.project);
  j.field("ecosystem", f.ecosystem);
  j.field("package", f.package);
  j.field("binaries", f.binaries);
  j.field("installed", f.installed);
  j.field("locations", f.locations);
  j.field_number("max_risk", round_to(f.max_risk, 2));
  j.field("max_severity", severity_name(f.max_severity));
  j.field("kev", f.kev);
  j.field("kev_ransomware", f.kev_ransomware);
  j.field("first_seen", format_rfc3339(f.first_seen));
  j.field("due", format_rfc3339(f.due));
  j.field("overdue", f.overdue);
  j.field("new_since_last_party", f.new_since_last_party);
  j.field("notes", f.notes);
  j.field_or_null("origin", facts_origin(f));
  j.field_or_null("supplier", f.supplier);
  j.field_or_null("supplier_newest", f.supplier_newest);
}

}  // namespace

std::string backlog_json(const Backlog& b) {
  JsonOut j;
  j.start_object();
  j.field("schema", kBacklogJsonSchema);
  j.field("host", b.host);
  j.field_or_null("wave", b.wave);
  j.field("generated_at", format_rfc3339(b.generated_at));
  j.time_or_null("last_party", b.last_party);
  j.time_or_null("next_party", b.next_party);
  j.field("since_last_party", b.since_last_party);

  const BacklogSummary& s = b.summary;
  j.key("summary");
  j.start_object();
  j.field_int("findings", static_cast<std::int64_t>(s.findings));
  j.field_int("tasks", static_cast<std::int64_t>(s.tasks));
  j.key("tasks_by_priority");
  j.start_object();
  j.field_int("now", static_cast<std::int64_t>(s.tasks_now));
  j.field_int("next", static_cast<std::int64_t>(s.tasks_next));
  j.field_int("later", static_cast<std::int64_t>(s.tasks_later));
  j.end_object();
  j.field_int("overdue", static_cast<std::int64_t>(s.overdue));
  j.field_int("kev", static_cast<std::int64_t>(s.kev));
  j.field_int("new_since_last_party", static_cast<std::int64_t>(s.new_since_last_party));
  j.field_int("watch", static_cast<std::int64_t>(s.watch));
  j.field_int("suppressed", static_cast<std::int64_t>(s.suppressed));
  j.end_object();

  j.key("tasks");
  j.start_array();
  for (std::size_t i = 0; i < b.tasks.size(); ++i) {
    const BacklogTask& t = b.tasks[i];
    j.start_object();
    j.field_int("rank", static_cast<std::int64_t>(i + 1));
    j.field("title", task_title(t));
    facts(j, t);
    // null for a third party's package: no version to promise (title and notes say why).
    j.field_or_null("target_version", t.target_version);
    j.field_or_null("distribution_fixed_version", t.distribution_fixed_version);
    j.field("versions_compared_as_text", t.versions_compared_as_text);
    j.field("fix_status", fix_status_label(t.fix_status));
    // For a person to run; argv for tools, shell for copying into a terminal.
    j.key("command");
    if (t.command) {
      j.start_object();
      j.field("argv", t.command->argv);
      j.field_or_null("directory", t.command->directory);
      j.field("shell", shell_command(*t.command));
      j.end_object();
    } else {
      j.null();
    }
    j.key("vulnerabilities");
    j.start_array();
    for (const auto& v : t.vulnerabilities) vulnerability(j, v);
    j.end_array();
    j.end_object();
  }
  j.end_array();

  j.key("watch");
  j.start_array();
  for (std::size_t i = 0; i < b.watch.size(); ++i) {
    const WatchItem& w = b.watch[i];
    j.start_object();
    j.field_int("rank", static_cast<std::int64_t>(i + 1));
    facts(j, w);
    j.key("fix_statuses");
    j.start_array();
    for (FixStatus st : w.fix_statuses) j.string(fix_status_label(st));
    j.end_array();
    j.key("vulnerabilities");
    j.start_array();
    for (const auto& v : w.vulnerabilities) vulnerability(j, v);
    j.end_array();
    j.end_object();
  }
  j.end_array();

  j.key("suppressed");
  j.start_array();
  for (const SuppressedEntry& e : b.suppressed)
    write_finding(j, e.finding, FindingJsonForm::backlog_suppressed);
  j.end_array();

  j.key("restart");
  if (b.restart)
    restart::write_restart_report(j, *b.restart, restart::RestartJsonForm::backlog_section);
  else
    j.null();
  j.end_object();
  return j.finish();
}

}  // namespace patchparty::exporters
