// What needs a restart on this host: services still running code from deleted or replaced
// shared libraries, other such processes, and a pending reboot. Produced by collectors/restart,
// kept in the store, shown in metrics and the backlog.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace patchparty {

enum class StaleReason { deleted, replaced };

struct StaleFile {
  std::string path;  // as the process mapped it, without " (deleted)"
  StaleReason reason = StaleReason::deleted;
  friend bool operator==(const StaleFile&, const StaleFile&) = default;
};

// One process mapping at least one stale file.
struct StaleProcess {
  int pid = 0;
  std::string comm;              // /proc/PID/comm
  std::string unit;              // systemd unit ("nginx.service", "session-3.scope"); "" when none
  std::vector<StaleFile> files;  // sorted by path
};

// A service unit to restart: every stale process in it and the union of their files.
struct RestartUnit {
  std::string unit;
  std::vector<int> pids;               // ascending
  std::vector<std::string> libraries;  // sorted, distinct
};

struct RestartReport {
  std::int64_t taken_at = 0;  // unix seconds
  bool reboot_required = false;
  std::vector<std::string> reboot_packages;  // /run/reboot-required.pkgs, in file order
  // uname -r and the newest installed kernel image (Debian/Ubuntu); empty when not known.
  std::string running_kernel, newest_kernel;
  bool kernel_outdated = false;         // a newer kernel is installed than the one running
  std::vector<RestartUnit> units;       // *.service units, by name
  std::vector<StaleProcess> processes;  // outside any service unit (scopes, none), by pid
  std::int64_t stale_processes = 0;     // in units and outside them
  std::int64_t processes_scanned = 0;
  std::int64_t permission_denied = 0;  // processes whose maps we may not read (other users')
  bool truncated = false;              // restart.max_processes was reached
  std::string unit_source;             // "sd-bus" or "cgroup": how pids were mapped to units
};

inline const char* stale_reason_name(StaleReason r) {
  return r == StaleReason::deleted ? "deleted" : "replaced";
}

}  // namespace patchparty
