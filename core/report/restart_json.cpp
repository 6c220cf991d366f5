#include "core/report/restart_json.h"

#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace patchparty::restart {

namespace {

template <class W>
void str(W& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

template <class W>
void write_report(W& w, const RestartReport& r) {
  w.StartObject();
  w.Key("schema");
  str(w, kRestartJsonSchema);
  w.Key("taken_at");
  w.Int64(r.taken_at);
  w.Key("reboot_required");
  w.Bool(r.reboot_required);
  w.Key("reboot_packages");
  w.StartArray();
  for (const auto& p : r.reboot_packages) str(w, p);
  w.EndArray();
  w.Key("running_kernel");
  str(w, r.running_kernel);
  w.Key("newest_kernel");
  str(w, r.newest_kernel);
  w.Key("kernel_outdated");
  w.Bool(r.kernel_outdated);
  w.Key("units");
  w.StartArray();
  for (const auto& u : r.units) {
    w.StartObject();
    w.Key("unit");
    str(w, u.unit);
    w.Key("pids");
    w.StartArray();
    for (int pid : u.pids) w.Int(pid);
    w.EndArray();
    w.Key("libraries");
    w.StartArray();
    for (const auto& l : u.libraries) str(w, l);
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("processes");
  w.StartArray();
  for (const auto& p : r.processes) {
    w.StartObject();
    w.Key("pid");
    w.Int(p.pid);
    w.Key("comm");
    str(w, p.comm);
    w.Key("unit");
    str(w, p.unit);
    w.Key("files");
    w.StartArray();
    for (const auto& f : p.files) {
      w.StartObject();
      w.Key("path");
      str(w, f.path);
      w.Key("reason");
      str(w, stale_reason_name(f.reason));
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  w.Key("stale_processes");
  w.Int64(r.stale_processes);
  w.Key("processes_scanned");
  w.Int64(r.processes_scanned);
  w.Key("permission_denied");
  w.Int64(r.permission_denied);
  w.Key("truncated");
  w.Bool(r.truncated);
  w.Key("unit_source");
  str(w, r.unit_source);
  w.EndObject();
}

using Value = rapidjson::Value;

std::string get_string(const Value& o, const char* key) {
  auto it = o.FindMember(key);
  return it != o.MemberEnd() && it->value.IsString() ? std::string(it->value.GetString())
                                                     : std::string();
}
std::int64_t get_int(const Value& o, const char* key) {
  auto it = o.FindMember(key);
  return it != o.MemberEnd() && it->value.IsInt64() ? it->value.GetInt64() : 0;
}
bool get_bool(const Value& o, const char* key) {
  auto it = o.FindMember(key);
  return it != o.MemberEnd() && it->value.IsBool() && it->value.GetBool();
}
const Value* get_array(const Value& o, const char* key) {
  auto it = o.FindMember(key);
  return it != o.MemberEnd() && it->value.IsArray() ? &it->value : nullptr;
}

}  // namespace

std::string restart_report_json(const RestartReport& report, bool pretty) {
  rapidjson::StringBuffer buffer;
  if (pretty) {
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
    w.SetIndent(' ', 2);
    write_report(w, report);
    return std::string(buffer.GetString()) + "\n";
  }
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  write_report(w, report);
  return buffer.GetString();
}

Result<RestartReport> restart_report_from_json(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject() || get_string(doc, "schema") != kRestartJsonSchema)
    return fail(Errc::data_loss,
                "restart report: not a " + std::string(kRestartJsonSchema) + " document");
  RestartReport r;
  r.taken_at = get_int(doc, "taken_at");
  r.reboot_required = get_bool(doc, "reboot_required");
  if (auto* a = get_array(doc, "reboot_packages"))
    for (const auto& v : a->GetArray())
      if (v.IsString()) r.reboot_packages.emplace_back(v.GetString());
  r.running_kernel = get_string(doc, "running_kernel");
  r.newest_kernel = get_string(doc, "newest_kernel");
  r.kernel_outdated = get_bool(doc, "kernel_outdated");
  if (auto* a = get_array(doc, "units")) {
    for (const auto& v : a->GetArray()) {
      if (!v.IsObject()) continue;
      RestartUnit u;
      u.unit = get_string(v, "unit");
      if (auto* pids = get_array(v, "pids"))
        for (const auto& p : pids->GetArray())
          if (p.IsInt()) u.pids.push_back(p.GetInt());
      if (auto* libs = get_array(v, "libraries"))
        for (const auto& l : libs->GetArray())
          if (l.IsString()) u.libraries.emplace_back(l.GetString());
      r.units.push_back(std::move(u));
    }
  }
  if (auto* a = get_array(doc, "processes")) {
    for (const auto& v : a->GetArray()) {
      if (!v.IsObject()) continue;
      StaleProcess p;
      p.pid = static_cast<int>(get_int(v, "pid"));
      p.comm = get_string(v, "comm");
      p.unit = get_string(v, "unit");
      if (auto* files = get_array(v, "files"))
        for (const auto& f : files->GetArray())
          if (f.IsObject())
            p.files.push_back({get_string(f, "path"), get_string(f, "reason") == "replaced"
                                                          ? StaleReason::replaced
                                                          : StaleReason::deleted});
      r.processes.push_back(std::move(p));
    }
  }
  r.stale_processes = get_int(doc, "stale_processes");
  r.processes_scanned = get_int(doc, "processes_scanned");
  r.permission_denied = get_int(doc, "permission_denied");
  r.truncated = get_bool(doc, "truncated");
  r.unit_source = get_string(doc, "unit_source");
  return r;
}

}  // namespace patchparty::restart
