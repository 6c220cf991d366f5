#include "exporters/backlog/scan_report.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

#include "core/report/finding_json.h"
#include "core/report/json_output.h"
#include "core/report/report_format.h"
#include "exporters/backlog/backlog.h"

namespace patchparty::exporters {

namespace {

std::vector<const Finding*> in_report_order(std::span<const Finding> findings) {
  std::vector<const Finding*> out;
  for (const Finding& f : findings) out.push_back(&f);
  std::stable_sort(out.begin(), out.end(), [](const Finding* a, const Finding* b) {
    return std::tie(a->host, a->project, a->package.ecosystem, a->package.name, a->package.version,
                    a->package.location, a->vulnerability) <
           std::tie(b->host, b->project, b->package.ecosystem, b->package.name, b->package.version,
                    b->package.location, b->vulnerability);
  });
  return out;
}

// What GitHub code scanning shows as the alert's level.
std::string_view sarif_level(SeverityLevel s) {
  switch (s) {
    case SeverityLevel::critical:
    case SeverityLevel::high:
      return "error";
    case SeverityLevel::medium:
      return "warning";
    case SeverityLevel::low:
    case SeverityLevel::unknown:
      return "note";
  }
  return "note";
}

// GitHub ranks alerts by properties.security-severity (a CVSS-like score as a string). Without
// a CVSS score the severity band's lower bound stands in, so a "critical" label still sorts as
// critical; with neither, the property is left out and GitHub falls back to `level`.
std::optional<std::string> security_severity(std::optional<double> cvss, SeverityLevel s) {
  if (cvss && *cvss > 0) return format_fixed(*cvss, 1);
  switch (s) {
    case SeverityLevel::critical:
      return "9.0";
    case SeverityLevel::high:
      return "7.0";
    case SeverityLevel::medium:
      return "4.0";
    case SeverityLevel::low:
      return "0.1";
    case SeverityLevel::unknown:
      break;
  }
  return std::nullopt;
}

bool is_http_url(std::string_view url) {
  return url.starts_with("https://") || url.starts_with("http://");
}

// A SARIF uri is a URI reference: bytes outside RFC 3986's unreserved and path characters are
// percent-encoded so a path with a space or a non-ASCII name stays valid.
std::string uri_escape(std::string_view path) {
  static constexpr std::string_view kKeep = "-._~/!$&'()*+,;=:@";
  std::string out;
  for (unsigned char c : path) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
        kKeep.find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// One rule per vulnerability, merged over every finding that reports it.
struct Rule {
  std::string id, summary, cvss_vector;
  std::set<std::string> aliases, references;
  std::optional<double> cvss;
  SeverityLevel severity = SeverityLevel::unknown;
  bool kev = false, kev_ransomware = false;
};

std::string rule_help_uri(const Rule& r) {
  for (const auto& url : r.references) {
    if (is_http_url(url) && url.find(r.id) != std::string::npos) return url;
  }
  for (const auto& url : r.references) {
    if (is_http_url(url)) return url;
  }
  // OSV.dev resolves CVE, GHSA, DSA and distribution ids alike, so every rule has a page.
  return "https://osv.dev/vulnerability/" + uri_escape(r.id);
}

// The description GitHub shows atop the alert: what it is and how bad, without the link lists.
std::string rule_description(const Rule& r) {
  std::string out = r.summary.empty() ? r.id : r.id + ": " + r.summary;
  if (out.back() != '.') out += '.';
  out += " Severity: " + std::string(severity_name(r.severity));
  if (r.cvss) out += " (CVSS " + format_fixed(*r.cvss, 1) + ")";
  if (r.kev) out += "; known exploited (CISA KEV)";
  return out + ".";
}

std::string rule_text(const Rule& r, bool markdown) {
  std::string out = markdown ? "**" + r.id + "**" : r.id;
  out += r.summary.empty() ? std::string() : ": " + r.summary;
  out += "\n\nSeverity: " + std::string(severity_name(r.severity));
  if (r.cvss) out += " (CVSS " + format_fixed(*r.cvss, 1) + ")";
  if (r.kev)
    out += r.kev_ransomware ? ". Known exploited (CISA KEV), used in ransomware campaigns."
                            : ". Known exploited (CISA KEV).";
  if (!r.aliases.empty()) {
    out += "\n\nAliases:";
    for (const auto& a : r.aliases) out += " " + a;
  }
  std::vector<std::string> links;
  for (const auto& url : r.references)
    if (is_http_url(url)) links.push_back(url);
  if (!links.empty()) {
    out += "\n\nReferences:";
    for (const auto& url : links) out += markdown ? "\n- <" + url + ">" : "\n" + url;
  }
  return out;
}

std::string result_message(const Finding& f) {
  std::string msg = f.package.name + " " + f.package.version;
  if (!f.package.source_name.empty() && f.package.source_name != f.package.name)
    msg += " (source " + f.package.source_name + ")";
  msg += " is affected by " + f.vulnerability;
  if (f.package.third_party) {
    msg += "; " + third_party_note(f);
  } else if (f.fix_available() && f.fix_status == FixStatus::fixed) {
    msg += "; upgrade to >= " + f.fixed_version;
  } else {
    msg += "; no fixed version yet (" + std::string(fix_status_label(f.fix_status)) + ")";
  }
  msg += " [host " + f.host;
  if (!f.project.empty()) msg += ", project " + f.project;
  return msg + "]";
}

}  // namespace

std::string sarif_artifact_uri(const Finding& f, const ScanInfo& info) {
  const Package& p = f.package;
  // package-lock.json locations are node_modules paths inside the lockfile, not files.
  if (p.origin == "npm" || p.location.starts_with("node_modules/")) return "package-lock.json";
  if (p.location.empty()) {
    if (p.origin == "rpm") return "/var/lib/rpm/rpmdb.sqlite";
    if (p.origin == "apk") return "/lib/apk/db/installed";
    if (p.origin == "dpkg" || is_distro_ecosystem(p.ecosystem)) return "/var/lib/dpkg/status";
    if (p.ecosystem == "Packagist") return "composer.lock";
    if (p.ecosystem == "npm") return "package-lock.json";
    return uri_escape(p.ecosystem + "/" + p.name);
  }
  std::string path = p.location;
  if (auto root = info.project_roots.find(f.project); root != info.project_roots.end()) {
    std::string base = root->second;
    while (base.size() > 1 && base.back() == '/') base.pop_back();
    if (!base.empty() && path.size() > base.size() + 1 && path.starts_with(base) &&
        path[base.size()] == '/')
      path = path.substr(base.size() + 1);
  }
  return uri_escape(path);
}

// FNV-1a, 64 bits: no crypto library is linked here, and the value only has to tell results
// apart and stay the same across scans, not resist forgery.
std::string finding_fingerprint(const Finding& f) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 0x100000001b3ULL;
    }
    h ^= 0x1f;  // separator, so ("ab","c") and ("a","bc") differ
    h *= 0x100000001b3ULL;
  };
  mix(f.host);
  mix(f.project);
  mix(f.package.ecosystem);
  mix(f.package.name);
  mix(f.package.location);
  mix(f.vulnerability);
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string findings_json(std::span<const Finding> findings, const ScanInfo& info) {
  JsonOut j;
  j.start_object();
  j.field("schema", kFindingsJsonSchema);
  j.field("host", info.host);
  j.field("scanned_at", format_rfc3339(info.scanned_at));
  j.key("tool");
  j.start_object();
  j.field("name", "patchparty");
  j.field("version", info.tool_version);
  j.end_object();
  j.field_int("count", static_cast<std::int64_t>(findings.size()));
  j.key("findings");
  j.start_array();
  for (const Finding* f : in_report_order(findings)) write_finding(j, *f, FindingJsonForm::report);
  j.end_array();
  j.end_object();
  return j.finish();
}

std::string findings_sarif(std::span<const Finding> findings, const ScanInfo& info) {
  std::vector<const Finding*> open;
  for (const Finding* f : in_report_order(findings))
    if (!f->resolved_at) open.push_back(f);

  std::map<std::string, Rule> rules;
  for (const Finding* f : open) {
    Rule& r = rules[f->vulnerability];
    r.id = f->vulnerability;
    if (r.summary.empty()) r.summary = f->summary;
    r.aliases.insert(f->aliases.begin(), f->aliases.end());
    r.references.insert(f->references.begin(), f->references.end());
    if (f->cvss && (!r.cvss || *f->cvss > *r.cvss)) {
      r.cvss = f->cvss;
      r.cvss_vector = f->cvss_vector;
    }
    r.severity = std::max(r.severity, f->severity);
    r.kev = r.kev || f->kev;
    r.kev_ransomware = r.kev_ransomware || f->kev_ransomware;
  }
  std::map<std::string, std::size_t> rule_index;

  JsonOut j;
  j.start_object();
  j.field("$schema", kSarifSchemaUri);
  j.field("version", "2.1.0");
  j.key("runs");
  j.start_array();
  j.start_object();
  j.key("tool");
  j.start_object();
  j.key("driver");
  j.start_object();
  j.field("name", "patchparty");
  j.field("version", info.tool_version);
  j.field("informationUri", info.information_uri);
  j.key("rules");
  j.start_array();
  for (const auto& [id, r] : rules) {
    rule_index.emplace(id, rule_index.size());
    j.start_object();
    j.field("id", r.id);
    j.key("shortDescription");
    j.start_object();
    j.field("text", r.summary.empty() ? r.id : r.id + ": " + r.summary);
    j.end_object();
    j.key("fullDescription");
    j.start_object();
    j.field("text", rule_description(r));
    j.end_object();
    j.field("helpUri", rule_help_uri(r));
    j.key("help");
    j.start_object();
    j.field("text", rule_text(r, false));
    j.field("markdown", rule_text(r, true));
    j.end_object();
    j.key("defaultConfiguration");
    j.start_object();
    j.field("level", sarif_level(r.severity));
    j.end_object();
    j.key("properties");
    j.start_object();
    if (auto score = security_severity(r.cvss, r.severity)) j.field("security-severity", *score);
    std::vector<std::string> tags{"security", "vulnerability",
                                  std::string(severity_name(r.severity))};
    if (r.kev) tags.push_back("known-exploited");
    j.field("tags", tags);
    if (!r.cvss_vector.empty()) j.field("cvssVector", r.cvss_vector);
    j.end_object();
    j.end_object();
  }
  j.end_array();
  j.end_object();  // driver
  j.end_object();  // tool

  j.key("results");
  j.start_array();
  for (const Finding* f : open) {
    j.start_object();
    j.field("ruleId", f->vulnerability);
    j.field_int("ruleIndex", static_cast<std::int64_t>(rule_index.at(f->vulnerability)));
    j.field("level", sarif_level(f->severity));
    j.key("message");
    j.start_object();
    j.field("text", result_message(*f));
    j.end_object();
    j.key("locations");
    j.start_array();
    j.start_object();
    j.key("physicalLocation");
    j.start_object();
    j.key("artifactLocation");
    j.start_object();
    j.field("uri", sarif_artifact_uri(*f, info));
    j.end_object();
    j.key("region");
    j.start_object();
    j.field_int("startLine", 1);
    j.end_object();
    j.end_object();
    j.end_object();
    j.end_array();
    j.key("partialFingerprints");
    j.start_object();
    j.field("patchpartyFinding/v1", finding_fingerprint(*f));
    j.end_object();
    if (f->suppressed()) {
      j.key("suppressions");
      j.start_array();
      j.start_object();
      j.field("kind", "external");
      j.field("status", "accepted");
      std::string why = f->suppression->reason;
      if (!f->suppression->rule.empty())
        why += (why.empty() ? "" : " ") + std::string("(") + f->suppression->rule + ")";
      if (!why.empty()) j.field("justification", why);
      j.end_object();
      j.end_array();
    }
    j.key("properties");
    write_finding(j, *f, FindingJsonForm::sarif_properties);
    j.end_object();
  }
  j.end_array();

  j.key("properties");
  j.start_object();
  j.field("host", info.host);
  j.field("scannedAt", format_rfc3339(info.scanned_at));
  j.end_object();
  j.end_object();  // run
  j.end_array();
  j.end_object();
  return j.finish();
}

}  // namespace patchparty::exporters
