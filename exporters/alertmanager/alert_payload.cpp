#include "exporters/alertmanager/alert_payload.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <cstdio>

#include "core/report/report_format.h"

namespace patchparty::exporters {

namespace {

// Length of the UTF-8 sequence at s[i] and its code point; 0 when it is not valid UTF-8.
std::size_t utf8_sequence(std::string_view s, std::size_t i, char32_t& cp) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  std::size_t n = 0;
  if (c < 0x80) {
    cp = c;
    return 1;
  } else if ((c & 0xE0) == 0xC0) {
    n = 2;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(k) & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not valid UTF-8.
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

std::string join(const std::vector<std::string>& items, std::size_t max_items,
                 std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < max_items; ++i)
    out += (i == 0 ? "" : std::string(separator)) + items[i];
  return out;
}

std::string format_number(double v, int decimals) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

}  // namespace

std::string Alert::key() const {
  // Over the values as sent, so two alerts Alertmanager would merge share a key. \x1f and \x1e
  // never survive sanitising, so the separators cannot be forged.
  std::string k;
  for (const auto& [name, value] : labels)
    k += name + '\x1f' + sanitize_value(value, kMaxLabelValueBytes, false) + '\x1e';
  return k;
}

std::string sanitize_value(std::string_view value, std::size_t max_bytes, bool keep_newlines) {
  std::string out;
  out.reserve(std::min(value.size(), max_bytes));
  for (std::size_t i = 0; i < value.size();) {
    char32_t cp = 0;
    std::size_t n = utf8_sequence(value, i, cp);
    std::string_view piece;
    if (n == 0) {
      piece = "\xEF\xBF\xBD";  // U+FFFD for each invalid byte
      n = 1;
    } else if (cp == '\n' && keep_newlines) {
      piece = "\n";
    } else if (cp == '\t' || cp == '\n' || cp == '\r') {
      piece = " ";
    } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
      piece = {};  // other C0 and C1 controls: dropped
    } else {
      piece = value.substr(i, n);
    }
    if (out.size() + piece.size() > max_bytes) break;
    out += piece;
    i += n;
  }
  return out;
}

bool valid_label_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::string advisory_link(std::string_view id) {
  const std::string s(id);
  if (id.starts_with("CVE-")) return "https://nvd.nist.gov/vuln/detail/" + s;
  if (id.starts_with("GHSA-")) return "https://github.com/advisories/" + s;
  if (id.starts_with("DSA-") || id.starts_with("DLA-") || id.starts_with("DTSA-"))
    return "https://security-tracker.debian.org/tracker/" + s;
  return "https://osv.dev/vulnerability/" + s;
}

Alert vulnerability_alert(const Finding& f, std::string_view reason) {
  Alert a;
  a.labels["alertname"] = std::string(kVulnerabilityAlertName);
  a.labels["severity"] = std::string(severity_name(f.severity));
  a.labels["host"] = f.host;
  a.labels["ecosystem"] = f.package.ecosystem;
  a.labels["package"] = f.package.name;
  a.labels["vulnerability"] = f.vulnerability;
  if (!f.project.empty()) a.labels["project"] = f.project;

  const std::string where = f.project.empty() ? f.host : f.project + " on " + f.host;
  a.annotations["summary"] =
      f.vulnerability + " in " + f.package.name + " " + f.package.version + " on " + where;
  std::string d = f.package.name + " " + f.package.version + " (" + f.package.ecosystem + ") on " +
                  where + " is affected by " + f.vulnerability;
  if (!f.aliases.empty()) d += " (" + join(f.aliases, 5, ", ") + ")";
  d += ".";
  if (!f.summary.empty()) {
    d += " " + f.summary;
    if (std::string_view(".!?").find(d.back()) == std::string_view::npos) d += ".";
  }
  d += "\nSeverity " + std::string(severity_name(f.severity));
  if (f.cvss) d += ", CVSS " + format_number(*f.cvss, 1);
  d += ", risk " + format_number(f.risk, 1) + "/100";
  if (f.epss) d += ", EPSS " + format_number(*f.epss, 3);
  if (f.kev) {
    d += ". Listed in CISA KEV";
    if (f.kev_ransomware) d += " (known ransomware use)";
    if (!f.kev_due_date.empty()) d += ", due " + f.kev_due_date;
  }
  d += ".\n";
  if (f.package.third_party) {
    // The distribution's fix is no upgrade path for a build it does not ship.
    d += third_party_note(f) + ".";
    a.annotations["origin"] = "third-party";
    a.annotations["supplier"] = f.package.supplier;
  } else {
    d += f.fix_available()
             ? "Fix: upgrade to " + f.fixed_version + "."
             : "No fixed version known (" + std::string(fix_status_name(f.fix_status)) + ").";
  }
  a.annotations["description"] = d;
  a.annotations["fixed_version"] = f.fixed_version;
  a.annotations["installed_version"] = f.package.version;
  a.annotations["risk"] = format_number(f.risk, 1);
  a.annotations["reason"] = std::string(reason);
  a.annotations["links"] =
      f.references.empty() ? advisory_link(f.vulnerability) : join(f.references, kMaxLinks, "\n");
  a.starts_at = f.first_seen;
  a.ends_at = f.resolved_at;
  return a;
}

std::string alerts_json(std::span<const Alert> alerts) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto str = [&](std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
  };
  w.StartArray();
  for (const auto& a : alerts) {
    w.StartObject();
    w.Key("labels");
    w.StartObject();
    for (const auto& [name, value] : a.labels) {
      if (!valid_label_name(name)) continue;
      const std::string v = sanitize_value(value, kMaxLabelValueBytes, false);
      if (v.empty()) continue;  // an empty label is no label to Alertmanager
      str(name);
      str(v);
    }
    w.EndObject();
    w.Key("annotations");
    w.StartObject();
    for (const auto& [name, value] : a.annotations) {
      if (!valid_label_name(name)) continue;
      const std::string v = sanitize_value(value, kMaxAnnotationBytes, true);
      if (v.empty()) continue;
      str(name);
      str(v);
    }
    w.EndObject();
    if (a.starts_at > 0) {
      w.Key("startsAt");
      str(format_rfc3339(a.starts_at));
    }
    if (a.ends_at) {
      w.Key("endsAt");
      str(format_rfc3339(*a.ends_at));
    }
    if (!a.generator_url.empty()) {
      w.Key("generatorURL");
      str(sanitize_value(a.generator_url, kMaxAnnotationBytes, false));
    }
    w.EndObject();
  }
  w.EndArray();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace patchparty::exporters
