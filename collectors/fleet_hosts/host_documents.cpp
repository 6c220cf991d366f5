#include "collectors/fleet_hosts/host_documents.h"

#include <rapidjson/document.h>

#include "core/base/rfc3339_time.h"

namespace patchparty::fleet {

namespace {

using Value = rapidjson::Value;

// Reads members and remembers the first one that is missing or of the wrong type, so a
// malformed document is refused with the path of what is wrong.
class Reader {
 public:
  std::string text(const Value& o, const char* key, std::string_view where, bool nullable = true) {
    const Value* v = find(o, key);
    if (v && v->IsString()) return std::string(v->GetString(), v->GetStringLength());
    if (!(v && v->IsNull() && nullable)) missing(where, key);
    return {};
  }
  bool flag(const Value& o, const char* key, std::string_view where) {
    const Value* v = find(o, key);
    if (v && v->IsBool()) return v->GetBool();
    missing(where, key);
    return false;
  }
  double number(const Value& o, const char* key, std::string_view where) {
    const Value* v = find(o, key);
    if (v && v->IsNumber()) return v->GetDouble();
    missing(where, key);
    return 0;
  }
  std::optional<double> number_or_null(const Value& o, const char* key, std::string_view where) {
    const Value* v = find(o, key);
    if (v && v->IsNumber()) return v->GetDouble();
    if (!(v && v->IsNull())) missing(where, key);
    return std::nullopt;
  }
  std::int64_t integer(const Value& o, const char* key, std::string_view where) {
    const Value* v = find(o, key);
    if (v && v->IsInt64()) return v->GetInt64();
    missing(where, key);
    return 0;
  }
  std::int64_t time(const Value& o, const char* key, std::string_view where) {
    const std::string t = text(o, key, where, false);
    if (t.empty()) return 0;
    auto at = parse_rfc3339(t);
    if (!at) missing(where, key);
    return at.value_or(0);
  }
  std::vector<std::string> strings(const Value& o, const char* key, std::string_view where) {
    std::vector<std::string> out;
    const Value* v = find(o, key);
    if (!v || !v->IsArray()) {
      missing(where, key);
      return out;
    }
    for (const auto& s : v->GetArray()) {
      if (!s.IsString()) {
        missing(where, key);
        return out;
      }
      out.emplace_back(s.GetString(), s.GetStringLength());
    }
    return out;
  }
  const Value* array(const Value& o, const char* key, std::string_view where) {
    const Value* v = find(o, key);
    if (v && v->IsArray()) return v;
    missing(where, key);
    return nullptr;
  }
  SeverityLevel severity(const Value& o, const char* key, std::string_view where) {
    auto s = parse_severity_name(text(o, key, where, false));
    if (!s) missing(where, key);
    return s.value_or(SeverityLevel::unknown);
  }
  Result<void> result() const {
    if (first_bad_.empty()) return {};
    return fail(Errc::data_loss, "missing or malformed " + first_bad_);
  }

 private:
  static const Value* find(const Value& o, const char* key) {
    if (!o.IsObject()) return nullptr;
    auto it = o.FindMember(key);
    return it == o.MemberEnd() ? nullptr : &it->value;
  }
  void missing(std::string_view where, const char* key) {
    if (first_bad_.empty())
      first_bad_ = where.empty() ? std::string(key) : std::string(where) + "." + key;
  }
  std::string first_bad_;
};

Result<void> parse_document(std::string_view json, std::string_view schema,
                            rapidjson::Document& doc) {
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) return fail(Errc::data_loss, "not a JSON object");
  auto it = doc.FindMember("schema");
  if (it == doc.MemberEnd() || !it->value.IsString())
    return fail(Errc::failed_precondition, "no schema (expected " + std::string(schema) + ")");
  std::string_view got(it->value.GetString(), it->value.GetStringLength());
  if (got != schema)
    return fail(Errc::failed_precondition,
                "unknown schema '" + std::string(got) + "' (expected " + std::string(schema) + ")");
  return {};
}

std::string at(std::string_view list, std::size_t i) {
  return std::string(list) + "[" + std::to_string(i) + "]";
}

FleetVulnerability vulnerability(Reader& r, const Value& v, const std::string& where) {
  FleetVulnerability out;
  out.id = r.text(v, "id", where, false);
  out.aliases = r.strings(v, "aliases", where);
  out.severity = r.severity(v, "severity", where);
  out.cvss = r.number_or_null(v, "cvss", where);
  out.kev = r.flag(v, "kev", where);
  out.kev_ransomware = r.flag(v, "kev_ransomware", where);
  out.risk = r.number(v, "risk", where);
  return out;
}

std::optional<HostCommand> command(Reader& r, const Value& task, const std::string& where) {
  auto it = task.FindMember("command");
  if (it == task.MemberEnd() || it->value.IsNull()) return std::nullopt;
  const std::string w = where + ".command";
  HostCommand c;
  c.argv = r.strings(it->value, "argv", w);
  c.directory = r.text(it->value, "directory", w);
  c.shell = r.text(it->value, "shell", w, false);
  return c;
}

HostTask task(Reader& r, const Value& t, const std::string& where) {
  HostTask out;
  out.priority = r.text(t, "priority", where, false);
  out.project = r.text(t, "project", where);
  out.ecosystem = r.text(t, "ecosystem", where, false);
  out.package = r.text(t, "package", where, false);
  out.target_version = r.text(t, "target_version", where);
  out.distribution_fixed_version = r.text(t, "distribution_fixed_version", where);
  out.origin = r.text(t, "origin", where);
  out.supplier = r.text(t, "supplier", where);
  out.binaries = r.strings(t, "binaries", where);
  out.installed = r.strings(t, "installed", where);
  out.locations = r.strings(t, "locations", where);
  out.notes = r.strings(t, "notes", where);
  out.max_risk = r.number(t, "max_risk", where);
  out.max_severity = r.severity(t, "max_severity", where);
  out.kev = r.flag(t, "kev", where);
  out.kev_ransomware = r.flag(t, "kev_ransomware", where);
  out.overdue = r.flag(t, "overdue", where);
  out.first_seen = r.time(t, "first_seen", where);
  out.due = r.time(t, "due", where);
  out.command = command(r, t, where);
  if (const Value* vs = r.array(t, "vulnerabilities", where)) {
    std::size_t i = 0;
    for (const auto& v : vs->GetArray())
      out.vulnerabilities.push_back(vulnerability(r, v, where + "." + at("vulnerabilities", i++)));
  }
  return out;
}

std::optional<HostRestart> restart(Reader& r, const Value& doc) {
  auto it = doc.FindMember("restart");
  if (it == doc.MemberEnd() || it->value.IsNull()) return std::nullopt;
  const Value& s = it->value;
  HostRestart out;
  out.checked_at = r.time(s, "checked_at", "restart");
  out.reboot_required = r.flag(s, "reboot_required", "restart");
  out.kernel_outdated = r.flag(s, "kernel_outdated", "restart");
  out.reboot_packages = r.strings(s, "reboot_packages", "restart");
  out.stale_processes = r.integer(s, "stale_processes", "restart");
  if (const Value* units = r.array(s, "units", "restart")) {
    for (const auto& u : units->GetArray()) out.units.push_back(r.text(u, "unit", "restart.units"));
  }
  return out;
}

}  // namespace

Result<HostBacklog> parse_host_backlog(std::string_view json) {
  rapidjson::Document doc;
  if (auto ok = parse_document(json, kHostBacklogSchema, doc); !ok)
    return tl::unexpected(ok.error());
  Reader r;
  HostBacklog b;
  b.host = r.text(doc, "host", "", false);
  b.wave = r.text(doc, "wave", "");
  b.generated_at = r.time(doc, "generated_at", "");
  if (const Value* tasks = r.array(doc, "tasks", "")) {
    std::size_t i = 0;
    for (const auto& t : tasks->GetArray()) b.tasks.push_back(task(r, t, at("tasks", i++)));
  }
  if (const Value* watch = r.array(doc, "watch", ""))
    b.watch = static_cast<std::int64_t>(watch->Size());
  if (const Value* suppressed = r.array(doc, "suppressed", ""))
    b.suppressed = static_cast<std::int64_t>(suppressed->Size());
  b.restart = restart(r, doc);
  if (auto ok = r.result(); !ok) return tl::unexpected(ok.error());
  return b;
}

Result<HostFindings> parse_host_findings(std::string_view json) {
  rapidjson::Document doc;
  if (auto ok = parse_document(json, kHostFindingsSchema, doc); !ok)
    return tl::unexpected(ok.error());
  Reader r;
  HostFindings out;
  out.host = r.text(doc, "host", "", false);
  out.scanned_at = r.time(doc, "scanned_at", "");
  if (auto tool = doc.FindMember("tool"); tool != doc.MemberEnd())
    out.version = r.text(tool->value, "version", "tool", false);
  if (const Value* findings = r.array(doc, "findings", "")) {
    std::size_t i = 0;
    for (const auto& f : findings->GetArray()) {
      const std::string where = at("findings", i++);
      FleetFinding x;
      x.host = r.text(f, "host", where, false);
      x.project = r.text(f, "project", where);
      if (auto p = f.FindMember("package"); p != f.MemberEnd()) {
        x.package = r.text(p->value, "name", where + ".package", false);
        x.ecosystem = r.text(p->value, "ecosystem", where + ".package", false);
        x.installed = r.text(p->value, "installed", where + ".package", false);
      } else {
        r.text(f, "package", where, false);  // records the member as missing
      }
      x.vulnerability = r.text(f, "vulnerability", where, false);
      x.severity = r.severity(f, "severity", where);
      x.risk = r.number(f, "risk", where);
      x.fixed_version = r.text(f, "fixed_version", where);
      x.fix_status = r.text(f, "fix_status", where, false);
      if (auto k = f.FindMember("kev"); k != f.MemberEnd())
        x.kev = r.flag(k->value, "listed", where + ".kev");
      out.findings.push_back(std::move(x));
    }
  }
  if (auto ok = r.result(); !ok) return tl::unexpected(ok.error());
  return out;
}

Result<std::vector<FeedSuccess>> parse_host_feeds(std::string_view json) {
  rapidjson::Document doc;
  if (auto ok = parse_document(json, kHostFeedsSchema, doc); !ok) return tl::unexpected(ok.error());
  Reader r;
  std::vector<FeedSuccess> out;
  if (const Value* feeds = r.array(doc, "feeds", "")) {
    std::size_t i = 0;
    for (const auto& f : feeds->GetArray()) {
      const std::string where = at("feeds", i++);
      out.push_back({r.text(f, "feed", where, false), r.integer(f, "last_success_at", where)});
    }
  }
  if (auto ok = r.result(); !ok) return tl::unexpected(ok.error());
  return out;
}

}  // namespace patchparty::fleet
