#include "collectors/restart/restart_check.h"

#include <algorithm>
#include <map>
#include <set>

#include "collectors/restart/reboot_required.h"

namespace patchparty::restart {

CheckOptions check_options(const config::RestartConfig& config) {
  CheckOptions o;
  o.scan.proc_root = config.proc_root;
  o.scan.max_processes = static_cast<std::size_t>(config.max_processes);
  o.scan.max_map_lines = static_cast<std::size_t>(config.max_map_lines);
  o.root = config.root;
  if (config.bus == "user")
    o.bus = BusKind::user;
  else if (config.bus == "none")
    o.bus.reset();
  return o;
}

RestartReport group_by_unit(std::vector<StaleProcess> stale) {
  RestartReport report;
  report.stale_processes = static_cast<std::int64_t>(stale.size());
  std::map<std::string, std::pair<std::set<int>, std::set<std::string>>> units;
  for (auto& p : stale) {
    if (!p.unit.ends_with(".service")) {
      report.processes.push_back(std::move(p));
      continue;
    }
    auto& [pids, libraries] = units[p.unit];
    pids.insert(p.pid);
    for (const auto& f : p.files) libraries.insert(f.path);
  }
  for (auto& [unit, entry] : units)
    report.units.push_back(
        RestartUnit{unit, std::vector<int>(entry.first.begin(), entry.first.end()),
                    std::vector<std::string>(entry.second.begin(), entry.second.end())});
  std::sort(report.processes.begin(), report.processes.end(),
            [](const StaleProcess& a, const StaleProcess& b) { return a.pid < b.pid; });
  return report;
}

RestartReport check_restart_needed(const CheckOptions& options, std::int64_t now) {
  ProcessScan scan = scan_processes(options.scan);
  UnitLookup lookup = !options.bus_address.empty()
                          ? UnitLookup::open_address(options.bus_address, options.scan.proc_root)
                      : options.bus ? UnitLookup::open(*options.bus, options.scan.proc_root)
                                    : UnitLookup::cgroup_only(options.scan.proc_root);
  for (auto& p : scan.stale) p.unit = lookup.unit_of(p.pid);
  RestartReport report = group_by_unit(std::move(scan.stale));
  report.taken_at = now;
  report.processes_scanned = scan.scanned;
  report.permission_denied = scan.permission_denied;
  report.truncated = scan.truncated;
  report.unit_source = std::string(lookup.source());
  RebootFlag flag = read_reboot_flag(options.root);
  report.reboot_required = flag.required;
  report.reboot_packages = std::move(flag.packages);
  return report;
}

}  // namespace patchparty::restart
