// `patchparty fleet findings` and `fleet status` in each format.
#include "core/report/json_output.h"
#include "core/report/report_format.h"
#include "exporters/backlog/fleet_writers.h"
#include "exporters/backlog/text_escape.h"

namespace patchparty::exporters {

namespace {

std::vector<std::vector<std::string>> finding_rows(const FleetFindings& f) {
  std::vector<std::vector<std::string>> rows = {
      {"host", "instance", "project", "ecosystem", "package", "installed", "vulnerability",
       "severity", "risk", "kev", "fixed_version", "fix_status"}};
  for (const fleet::FleetFinding& x : f.findings)
    rows.push_back({x.host, x.instance, x.project, x.ecosystem, x.package, x.installed,
                    x.vulnerability, std::string(severity_name(x.severity)),
                    format_fixed(x.risk, 2), x.kev ? "true" : "false", x.fixed_version,
                    x.fix_status});
  return rows;
}

constexpr SeverityLevel kShownLevels[] = {SeverityLevel::critical, SeverityLevel::high,
                                          SeverityLevel::medium, SeverityLevel::low,
                                          SeverityLevel::unknown};

std::string when(std::int64_t t) {
  return t > 0 ? format_rfc3339(t) : std::string();
}

std::vector<std::vector<std::string>> status_rows(const std::vector<fleet::HostStatus>& hosts) {
  std::vector<std::vector<std::string>> rows = {{"instance", "host", "reachable", "version", "wave",
                                                 "last_scan", "oldest_feed", "oldest_feed_success",
                                                 "critical", "high", "medium", "low", "unknown",
                                                 "kev", "stale", "error"}};
  for (const fleet::HostStatus& h : hosts) {
    std::vector<std::string> r = {
        h.instance,        h.host,        h.reachable ? "yes" : "no", h.version, h.wave,
        when(h.last_scan), h.oldest_feed, when(h.oldest_feed_success)};
    for (SeverityLevel s : kShownLevels)
      r.push_back(h.reachable ? std::to_string(h.findings[static_cast<std::size_t>(s)]) : "");
    r.push_back(h.reachable ? std::to_string(h.kev) : "");
    r.push_back(joined(h.stale, "; "));
    r.push_back(h.error);
    rows.push_back(std::move(r));
  }
  return rows;
}

std::string csv(const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  for (const auto& r : rows) {
    for (std::size_t c = 0; c < r.size(); ++c) out += (c ? "," : "") + csv_field(r[c]);
    out += "\r\n";
  }
  return out;
}

std::string markdown(const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out += "|";
    for (const auto& c : rows[i]) out += " " + (c.empty() ? std::string("-") : md_text(c)) + " |";
    out += "\n";
    if (i == 0) {
      out += "|";
      for (std::size_t c = 0; c < rows[0].size(); ++c) out += "---|";
      out += "\n";
    }
  }
  return out;
}

}  // namespace

void write_hosts_not_included(JsonOut& j, const std::vector<fleet::ExcludedHost>& hosts) {
  j.key("hosts_not_included");
  j.start_array();
  for (const fleet::ExcludedHost& h : hosts) {
    j.start_object();
    j.field("instance", h.instance);
    j.field("url", h.url);
    j.field("reason", h.reason);
    j.end_object();
  }
  j.end_array();
}

std::string render_fleet_findings(const FleetFindings& f, BacklogFormat format) {
  switch (format) {
    case BacklogFormat::csv:
      return csv(finding_rows(f));
    case BacklogFormat::table: {
      std::string out = aligned_columns(finding_rows(f));
      for (const fleet::ExcludedHost& h : f.not_included)
        out += "not included: " + h.instance + " (" + h.url + "): " + h.reason + "\n";
      return out;
    }
    case BacklogFormat::markdown: {
      std::string out = "# Fleet findings\n\nGenerated " + format_rfc3339(f.generated_at) +
                        " from " + std::to_string(f.hosts) + " hosts.\n\n";
      if (!f.not_included.empty()) {
        out += "Not included (the list is partial):\n\n";
        for (const fleet::ExcludedHost& h : f.not_included)
          out += "- " + md_code(h.instance) + ": " + md_text(h.reason) + "\n";
        out += "\n";
      }
      return out + markdown(finding_rows(f));
    }
    case BacklogFormat::json:
      break;
  }
  JsonOut j;
  j.start_object();
  j.field("schema", kFleetFindingsJsonSchema);
  j.field("generated_at", format_rfc3339(f.generated_at));
  j.field_int("hosts", f.hosts);
  write_hosts_not_included(j, f.not_included);
  j.field_int("count", static_cast<std::int64_t>(f.findings.size()));
  j.key("findings");
  j.start_array();
  for (const fleet::FleetFinding& x : f.findings) {
    j.start_object();
    j.field("host", x.host);
    j.field("instance", x.instance);
    j.field_or_null("project", x.project);
    j.field("ecosystem", x.ecosystem);
    j.field("package", x.package);
    j.field("installed", x.installed);
    j.field("vulnerability", x.vulnerability);
    j.field("severity", severity_name(x.severity));
    j.field_number("risk", round_to(x.risk, 2));
    j.field("kev", x.kev);
    j.field_or_null("fixed_version", x.fixed_version);
    j.field("fix_status", x.fix_status);
    j.end_object();
  }
  j.end_array();
  j.end_object();
  return j.finish();
}

std::string render_fleet_status(const std::vector<fleet::HostStatus>& hosts, std::int64_t now,
                                BacklogFormat format) {
  switch (format) {
    case BacklogFormat::csv:
      return csv(status_rows(hosts));
    case BacklogFormat::table:
      return aligned_columns(status_rows(hosts));
    case BacklogFormat::markdown:
      return "# Fleet status\n\nAs of " + format_rfc3339(now) + ".\n\n" +
             markdown(status_rows(hosts));
    case BacklogFormat::json:
      break;
  }
  JsonOut j;
  j.start_object();
  j.field("schema", kFleetStatusJsonSchema);
  j.field("generated_at", format_rfc3339(now));
  j.key("hosts");
  j.start_array();
  for (const fleet::HostStatus& h : hosts) {
    j.start_object();
    j.field("instance", h.instance);
    j.field("url", h.url);
    j.field("reachable", h.reachable);
    j.field_or_null("error", h.error);
    j.field_or_null("host", h.host);
    j.field_or_null("version", h.version);
    j.field_or_null("wave", h.wave);
    j.time_or_null("last_scan", h.last_scan > 0 ? std::optional(h.last_scan) : std::nullopt);
    j.field_or_null("oldest_feed", h.oldest_feed);
    j.time_or_null("oldest_feed_success",
                   h.oldest_feed_success > 0 ? std::optional(h.oldest_feed_success) : std::nullopt);
    j.key("findings");
    j.start_object();
    for (SeverityLevel s : kShownLevels)
      j.field_int(severity_name(s), h.findings[static_cast<std::size_t>(s)]);
    j.end_object();
    j.field_int("kev", h.kev);
    j.field("stale", !h.stale.empty());
    j.field("stale_reasons", h.stale);
    j.end_object();
  }
  j.end_array();
  j.end_object();
  return j.finish();
}

}  // namespace patchparty::exporters
