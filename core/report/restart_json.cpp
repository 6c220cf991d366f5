#include "core/report/restart_json.h"

#include <rapidjson/document.h>

#include "core/report/report_format.h"

namespace patchparty::restart {

namespace {

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

void write_restart_report(exporters::JsonOut& j, const RestartReport& r, RestartJsonForm form) {
  const bool record = form == RestartJsonForm::record;
  // The record reads back exactly what it wrote; the backlog says "none" as null.
  auto text = [&](std::string_view k, std::string_view v) {
    record ? j.field(k, v) : j.field_or_null(k, v);
  };
  j.start_object();
  if (record) {
    j.field("schema", kRestartJsonSchema);
    j.field_int("taken_at", r.taken_at);
  } else {
    j.field("checked_at", exporters::format_rfc3339(r.taken_at));
  }
  j.field("reboot_required", r.reboot_required);
  j.field("reboot_packages", r.reboot_packages);
  text("running_kernel", r.running_kernel);
  text("newest_kernel", r.newest_kernel);
  j.field("kernel_outdated", r.kernel_outdated);
  j.key("units");
  j.start_array();
  for (const RestartUnit& u : r.units) {
    j.start_object();
    j.field("unit", u.unit);
    j.key("pids");
    j.start_array();
    for (int pid : u.pids) j.integer(pid);
    j.end_array();
    j.field("libraries", u.libraries);
    j.end_object();
  }
  j.end_array();
  j.key("processes");
  j.start_array();
  for (const StaleProcess& p : r.processes) {
    j.start_object();
    j.field_int("pid", p.pid);
    j.field("comm", p.comm);
    text("unit", p.unit);
    j.key("files");
    j.start_array();
    for (const StaleFile& f : p.files) {
      j.start_object();
      j.field("path", f.path);
      j.field("reason", stale_reason_name(f.reason));
      j.end_object();
    }
    j.end_array();
    j.end_object();
  }
  j.end_array();
  j.field_int("stale_processes", r.stale_processes);
  if (record) j.field_int("processes_scanned", r.processes_scanned);
  j.field_int("permission_denied", r.permission_denied);
  j.field("truncated", r.truncated);
  if (record) j.field("unit_source", r.unit_source);
  j.end_object();
}

std::string restart_report_json(const RestartReport& report, bool pretty) {
  exporters::JsonOut j({.pretty = pretty, .valid_utf8 = false});
  write_restart_report(j, report, RestartJsonForm::record);
  return j.finish();
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
