// Which systemd unit a process belongs to: the manager's own answer over sd-bus
// (org.freedesktop.systemd1.Manager.GetUnitByPID), or, when no bus is reachable (an unprivileged
// daemon in a container, a host without systemd), the unit named by the process's cgroup path.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/c_handles.h"
#include "core/base/systemd_bus.h"

namespace patchparty::restart {

// The unit of a cgroup v2 path ("0::/system.slice/nginx.service" line's path part): the last
// path component that is a unit name (.service, .scope, .slice is not one a process runs in).
// "" for the root cgroup or a path without one.
std::string unit_from_cgroup_path(std::string_view path);
// The same from a whole /proc/PID/cgroup text: the v2 line ("0::"), else systemd's v1
// hierarchy ("N:name=systemd:").
std::string unit_from_cgroup_file(std::string_view text);

class UnitLookup {
 public:
  // Connects to the bus; without one, lookups use /proc/PID/cgroup under proc_root.
  static UnitLookup open(BusKind kind, std::filesystem::path proc_root);
  // A bus at a D-Bus address ("unix:path=/run/user/1000/bus"): tests, and a manager reached
  // over a socket other than the default ones.
  static UnitLookup open_address(const std::string& address, std::filesystem::path proc_root);
  // Only cgroups, never a bus.
  static UnitLookup cgroup_only(std::filesystem::path proc_root);

  // "" when the process is in no unit or has gone.
  std::string unit_of(int pid);
  // "sd-bus" or "cgroup".
  std::string_view source() const { return bus_ ? "sd-bus" : "cgroup"; }

 private:
  UnitLookup(Bus bus, std::filesystem::path proc_root)
      : bus_(std::move(bus)), proc_root_(std::move(proc_root)) {}

  UnitLookup checked() &&;
  std::optional<std::string> unit_over_bus(int pid);
  std::string unit_from_cgroup(int pid);

  Bus bus_;
  std::filesystem::path proc_root_;
};

}  // namespace patchparty::restart
