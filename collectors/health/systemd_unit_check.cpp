#include "collectors/health/systemd_unit_check.h"

#include <yaml-cpp/yaml.h>

#include "core/base/one_line.h"
#include "core/base/yaml_reader.h"

namespace patchparty::health {

SystemdUnitCheck::SystemdUnitCheck(const config::HealthCheckConfig& c)
    : name_(c.name),
      unit_(c.unit),
      bus_(c.bus == "user" ? BusKind::user : BusKind::system),
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
  auto bus = open_bus(bus_);
  if (!bus) return done(bus.error().message);
  set_call_timeout(bus->get(), timeout_);

  auto unit_path = get_unit(bus->get(), unit_);
  if (!unit_path) {
    if (unit_path.error().is(systemd1::kNoSuchUnit))
      return done("unknown unit (not loaded: no such unit, or inactive and unreferenced)");
    return done(unit_path.error().message);
  }
  auto unit_state = [&](const char* name) {
    return unit_string_property(bus->get(), *unit_path, systemd1::kUnitInterface, name);
  };
  const auto load = unit_state("LoadState");
  if (!load) return done(load.error().message);
  const auto active = unit_state("ActiveState");
  if (!active) return done(active.error().message);
  const auto sub = unit_state("SubState");
  if (!sub) return done(sub.error().message);
  if (*load == "not-found") return done("unknown unit (LoadState=not-found)");

  // NRestarts is a Service property: other unit types have no restarts to count.
  std::optional<std::uint32_t> restarts;
  if (unit_.ends_with(".service")) {
    auto n = unit_uint32_property(bus->get(), *unit_path, systemd1::kServiceInterface, "NRestarts");
    if (n) restarts = *n;
  }
  if (restarts) p.value = *restarts;

  std::string detail = "ActiveState=" + *active + " SubState=" + *sub;
  if (restarts) detail += " NRestarts=" + std::to_string(*restarts);
  const bool grew = restarts && last_restarts_ && *restarts > *last_restarts_;
  const std::optional<std::uint32_t> before = last_restarts_;
  if (restarts) last_restarts_ = restarts;
  if (!state_expected(*active, *sub)) {
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
  return CheckKind{
      .name = "systemd_unit", .check = check_section, .make = construct_check<SystemdUnitCheck>};
}

}  // namespace patchparty::health
