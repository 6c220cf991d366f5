#include "core/report/finding_json.h"

#include "core/report/report_format.h"

namespace patchparty::exporters {

namespace {

void suppression_fields(JsonOut& j, const SuppressionMatch& s) {
  j.field_or_null("rule", s.rule);
  j.field_or_null("reason", s.reason);
  j.field_or_null("vex_status", s.vex_status);
  j.field_or_null("vex_justification", s.vex_justification);
  j.time_or_null("expires", s.expires);
}

void report_object(JsonOut& j, const Finding& f) {
  j.field("host", f.host);
  j.field_or_null("project", f.project);
  j.key("package");
  j.start_object();
  j.field("name", f.package.name);
  j.field("source", f.package.source_name.empty() ? f.package.name : f.package.source_name);
  j.field_or_null("source_version", f.package.source_version);
  j.field("ecosystem", f.package.ecosystem);
  j.field("installed", f.package.version);
  j.field_or_null("arch", f.package.arch);
  j.field_or_null("origin", f.package.origin);
  j.field_or_null("location", f.package.location);
  j.field("dev", f.package.dev);
  j.field_or_null("supplier", f.package.supplier);
  j.field_or_null("supplier_newest", f.package.supplier_newest);
  j.end_object();
  j.field_or_null("origin", finding_origin(f));
  j.field_or_null("origin_note", third_party_note(f));
  j.field("vulnerability", f.vulnerability);
  j.field("aliases", f.aliases);
  j.field("advisories", f.advisories);
  j.field("feeds", f.feeds);
  j.field_or_null("summary", f.summary);
  j.field("references", f.references);
  j.field_or_null("fixed_version", f.fixed_version);
  j.field("fix_status", fix_status_label(f.fix_status));
  j.field("severity", severity_name(f.severity));
  j.key("cvss");
  if (f.cvss) {
    j.start_object();
    j.field_number("score", round_to(*f.cvss, 1));
    j.field_or_null("vector", f.cvss_vector);
    j.field("source", f.cvss_source.empty() ? "advisory" : f.cvss_source);
    j.end_object();
  } else {
    j.null();
  }
  j.key("epss");
  if (f.epss) {
    j.start_object();
    j.field_number("probability", round_to(*f.epss, 5));
    j.field_number("percentile", f.epss_percentile ? std::optional(round_to(*f.epss_percentile, 5))
                                                   : std::nullopt);
    j.end_object();
  } else {
    j.null();
  }
  j.key("kev");
  j.start_object();
  j.field("listed", f.kev);
  j.field("ransomware", f.kev_ransomware);
  j.field_or_null("due_date", f.kev_due_date);
  j.end_object();
  j.field_number("risk", round_to(f.risk, 2));
  j.field("suppressed", f.suppressed());
  j.key("suppression");
  if (f.suppression) {
    j.start_object();
    suppression_fields(j, *f.suppression);
    j.field("expired", f.suppression->expired);
    j.end_object();
  } else {
    j.null();
  }
  j.field("first_seen", format_rfc3339(f.first_seen));
  j.field("last_seen", format_rfc3339(f.last_seen));
  j.time_or_null("resolved_at", f.resolved_at);
}

void backlog_suppressed_row(JsonOut& j, const Finding& f) {
  j.field("host", f.host);
  j.field_or_null("project", f.project);
  j.field("ecosystem", f.package.ecosystem);
  j.field("package", f.package.name);
  j.field("installed", f.package.version);
  j.field("vulnerability", f.vulnerability);
  j.field("severity", severity_name(f.severity));
  j.field_number("risk", round_to(f.risk, 2));
  j.field("kev", f.kev);
  suppression_fields(j, f.suppression.value_or(SuppressionMatch{}));
  j.field("first_seen", format_rfc3339(f.first_seen));
}

void sarif_properties(JsonOut& j, const Finding& f) {
  j.field("host", f.host);
  if (!f.project.empty()) j.field("project", f.project);
  j.field("package", f.package.name);
  j.field("installedVersion", f.package.version);
  if (!f.fixed_version.empty()) j.field("fixedVersion", f.fixed_version);
  j.field("fixStatus", fix_status_label(f.fix_status));
  j.field_number("risk", round_to(f.risk, 2));
  j.field("kev", f.kev);
}

}  // namespace

void write_finding(JsonOut& j, const Finding& f, FindingJsonForm form) {
  j.start_object();
  switch (form) {
    case FindingJsonForm::report:
      report_object(j, f);
      break;
    case FindingJsonForm::backlog_suppressed:
      backlog_suppressed_row(j, f);
      break;
    case FindingJsonForm::sarif_properties:
      sarif_properties(j, f);
      break;
  }
  j.end_object();
}

}  // namespace patchparty::exporters
