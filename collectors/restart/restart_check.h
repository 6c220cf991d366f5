// One restart-needed check: the stale processes, their units, and the reboot flag, as a
// RestartReport. Used by the daemon's periodic job and by `patchparty restart-needed`.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "collectors/restart/stale_scan.h"
#include "collectors/restart/unit_lookup.h"
#include "config/config.h"
#include "core/model/restart_report.h"

namespace patchparty::restart {

struct CheckOptions {
  ScanOptions scan;
  std::filesystem::path root = "/";  // for run/reboot-required
  // Which manager to ask; nullopt: never the bus, only cgroups.
  std::optional<BusKind> bus = BusKind::system;
  std::string bus_address;  // when set, this bus instead of `bus`
};

CheckOptions check_options(const config::RestartConfig& config);

// Groups the stale processes: those in a *.service unit under that unit, the others (scopes,
// no unit at all) as processes.
RestartReport group_by_unit(std::vector<StaleProcess> stale);

RestartReport check_restart_needed(const CheckOptions& options, std::int64_t now);

}  // namespace patchparty::restart
