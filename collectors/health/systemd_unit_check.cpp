#include "collectors/health/systemd_unit_check.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <cstring>

#include "core/base/c_handles.h"
#include "core/base/one_line.h"
#include "core/base/yaml_reader.h"

namespace patchparty::health {

namespace {

constexpr const char* kSystemd = "org.freedesktop.systemd1";

std::string bus_error_text(const BusError& e, int r) {
  if (e.message) return e.message;
  if (e.name) return e.name;
  return std::strerror(-r);
}

// A unit's string property; empty with `err` set on failure.
std::string string_property(sd_bus* bus, const char* path, const char* interface, const char* name,
                            std::string& err) {
  BusError e;
  char* raw = nullptr;
  int r = sd_bus_get_property_string(bus, kSystemd, path, interface, name, &e, &raw);
  std::unique_ptr<char, CFree<std::free>> value(raw);
  if (r < 0) {
    err = std::string(name) + ": " + bus_error_text(e, r);
    return {};
  }
  return value ? value.get() : "";
}

}  // namespace

SystemdUnitCheck::SystemdUnitCheck(const config::HealthCheckConfig& c)
    : name_(c.name),
      unit_(c.unit),
      user_bus_(c.bus == "user"),
      expected_(c.expected_states),
      timeout_(c.timeout) {}

bool SystemdUnitCheck::state_expected(const std::string& active, const std::string& sub) const {
  for (const auto& e : expected_) {
    if (e == active || e == active + "/" + sub) return true;
  }
  return false;
}

Probe SystemdUnitCheck::probe(std::stop_token) {
  Probe p;
  p.at = WallClock::now();
  const auto started = std::chrono::steady_clock::now();
  auto done = [&](std::string detail) {
    p.latency = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started);
    p.detail = one_line(unit_ + ": " + detail);
    return p;
  };
  sd_bus* raw_bus = nullptr;
  int r = user_bus_ ? sd_bus_open_user(&raw_bus) : sd_bus_open_system(&raw_bus);
  Bus bus(raw_bus);
  if (r < 0)
    return done(std::string("cannot connect to the ") + (user_bus_ ? "user" : "system") +
                " bus: " + std::strerror(-r));
  sd_bus_set_method_call_timeout(bus.get(), static_cast<std::uint64_t>(timeout_.count()) * 1000);

  BusError e;
  sd_bus_message* raw_reply = nullptr;
  r = sd_bus_call_method(bus.get(), kSystemd, "/org/freedesktop/systemd1",
                         "org.freedesktop.systemd1.Manager", "GetUnit", &e, &raw_reply, "s",
                         unit_.c_str());
  BusMessage reply(raw_reply);
  if (r < 0) {
    if (sd_bus_error_has_name(&e, "org.freedesktop.systemd1.NoSuchUnit"))
      return done("unknown unit (not loaded: no such unit, or inactive and unreferenced)");
    return done("GetUnit: " + bus_error_text(e, r));
  }
  const char* path = nullptr;
  r = sd_bus_message_read(reply.get(), "o", &path);
  if (r < 0) return done(std::string("GetUnit reply: ") + std::strerror(-r));
  const std::string unit_path = path;

  std::string err;
  const std::string load = string_property(bus.get(), unit_path.c_str(),
                                           "org.freedesktop.systemd1.Unit", "LoadState", err);
  const std::string active = string_property(bus.get(), unit_path.c_str(),
                                             "org.freedesktop.systemd1.Unit", "ActiveState", err);
  const std::string sub = string_property(bus.get(), unit_path.c_str(),
                                          "org.freedesktop.systemd1.Unit", "SubState", err);
  if (!err.empty()) return done(err);
  if (load == "not-found") return done("unknown unit (LoadState=not-found)");

  std::optional<std::uint32_t> restarts;
  if (unit_.ends_with(".service")) {
    BusError re;
    std::uint32_t n = 0;
    sd_bus_message* raw_prop = nullptr;
    r = sd_bus_get_property(bus.get(), kSystemd, unit_path.c_str(),
                            "org.freedesktop.systemd1.Service", "NRestarts", &re, &raw_prop, "u");
    BusMessage prop(raw_prop);
    if (r >= 0 && sd_bus_message_read(prop.get(), "u", &n) >= 0) restarts = n;
  }
  if (restarts) p.value = *restarts;

  std::string detail = "ActiveState=" + active + " SubState=" + sub;
  if (restarts) detail += " NRestarts=" + std::to_string(*restarts);
  const bool grew = restarts && last_restarts_ && *restarts > *last_restarts_;
  const std::optional<std::uint32_t> before = last_restarts_;
  if (restarts) last_restarts_ = restarts;
  if (!state_expected(active, sub)) {
    std::string want;
    for (const auto& s : expected_) want += (want.empty() ? "" : ", ") + s;
    return done(detail + " (expected " + want + ")");
  }
  if (grew)
    return done(detail + " (restarted " + std::to_string(*restarts - *before) +
                " times since the previous probe)");
  p.healthy = true;
  return done(detail);
}

namespace {

void check_section(config::YamlReader& r, const YAML::Node& item, const std::string& p,
                   const config::HealthCheckConfig& c) {
  config::require_key(r, item, p, "unit", !c.unit.empty(), c.kind);
  if (!c.unit.empty() && (c.unit.find('/') != std::string::npos || c.unit.front() == '-' ||
                          c.unit.find('.') == std::string::npos))
    r.error(item["unit"], config::YamlReader::join(p, "unit"),
            "'" + c.unit + "' is not a unit name (e.g. nginx.service)");
  for (const auto& s : c.expected_states) {
    if (s.empty() || s.front() == '/' || s.back() == '/')
      r.error(item["expected_states"], config::YamlReader::join(p, "expected_states"),
              "'" + s + "' is not ActiveState or ActiveState/SubState");
  }
}

}  // namespace

CheckKind systemd_unit_check_kind() {
  return CheckKind{.name = "systemd_unit",
                   .check = check_section,
                   .make = [](const config::HealthCheckConfig& c) -> std::unique_ptr<HealthCheck> {
                     return std::make_unique<SystemdUnitCheck>(c);
                   }};
}

}  // namespace patchparty::health
