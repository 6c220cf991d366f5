#include "collectors/restart/unit_lookup.h"

#include <array>

#include "collectors/restart/proc_file.h"

namespace patchparty::restart {

namespace {

bool is_unit_name(std::string_view name) {
  constexpr std::array kSuffixes = {std::string_view(".service"), std::string_view(".scope"),
                                    std::string_view(".socket"), std::string_view(".mount"),
                                    std::string_view(".swap")};
  for (auto s : kSuffixes)
    if (name.size() > s.size() && name.ends_with(s)) return true;
  return false;
}

}  // namespace

std::string unit_from_cgroup_path(std::string_view path) {
  std::string unit;
  while (!path.empty()) {
    const auto slash = path.find('/');
    const std::string_view part = path.substr(0, slash);
    // user@1000.service/app.slice/x.service: the innermost unit is the process's.
    if (is_unit_name(part)) unit = std::string(part);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return unit;
}

std::string unit_from_cgroup_file(std::string_view text) {
  std::string v1;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.starts_with("0::")) return unit_from_cgroup_path(line.substr(3));
    if (const auto at = line.find(":name=systemd:"); at != std::string_view::npos)
      v1 = unit_from_cgroup_path(line.substr(at + 14));
  }
  return v1;
}

UnitLookup UnitLookup::open(BusKind kind, std::filesystem::path proc_root) {
  auto bus = open_bus(kind);
  return UnitLookup(bus ? std::move(*bus) : Bus{}, std::move(proc_root)).checked();
}

UnitLookup UnitLookup::open_address(const std::string& address, std::filesystem::path proc_root) {
  auto bus = open_bus_at(address);
  return UnitLookup(bus ? std::move(*bus) : Bus{}, std::move(proc_root)).checked();
}

// A bus without a systemd manager on it is as good as none: probe once, fall back for all.
UnitLookup UnitLookup::checked() && {
  if (bus_ && !unit_over_bus(1).has_value()) bus_.reset();
  return std::move(*this);
}

UnitLookup UnitLookup::cgroup_only(std::filesystem::path proc_root) {
  return UnitLookup(Bus{}, std::move(proc_root));
}

std::string UnitLookup::unit_of(int pid) {
  if (bus_) {
    if (auto unit = unit_over_bus(pid)) return *unit;
  }
  return unit_from_cgroup(pid);
}

// nullopt: the bus could not answer (no manager, bus gone); "" : the manager knows no unit.
std::optional<std::string> UnitLookup::unit_over_bus(int pid) {
  auto path = get_unit_by_pid(bus_.get(), static_cast<std::uint32_t>(pid));
  if (!path) {
    // NoUnitForPID (and a pid that has gone) is an answer; anything else means no manager.
    if (path.error().is(systemd1::kNoUnitForPid) || path.error().is(systemd1::kNoSuchProcess))
      return std::string();
    return std::nullopt;
  }
  auto id = unit_string_property(bus_.get(), *path, systemd1::kUnitInterface, "Id");
  if (!id) return std::nullopt;
  return std::move(*id);
}

std::string UnitLookup::unit_from_cgroup(int pid) {
  std::string text;
  if (read_proc_file(proc_root_ / std::to_string(pid) / "cgroup", 64 << 10, text) != ReadStatus::ok)
    return std::string();
  return unit_from_cgroup_file(text);
}

}  // namespace patchparty::restart
