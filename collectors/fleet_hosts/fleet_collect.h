// The fleet's documents gathered: discover the hosts, then ask each for its backlog, findings or
// status. Every host gets an answer or the reason it has none; only a failed discovery fails.
#pragma once

#include <cstdint>
#include <vector>

#include "collectors/fleet_hosts/fleet_targets.h"
#include "collectors/fleet_hosts/host_fetch.h"
#include "core/base/result.h"
#include "core/fleet/fleet_backlog.h"
#include "core/fleet/fleet_status.h"

namespace patchparty::fleet {

// Every source of `where` together. unavailable when Prometheus cannot be asked, invalid_argument
// for a bad URL, regex or file_sd file; an empty list is not an error here.
[[nodiscard]] Result<std::vector<FleetTarget>> discover_targets(const FleetDiscovery& where,
                                                                const FleetClientOptions& options);

// GET /api/v1/backlog of each target, each answer folded into one merge as soon as it is read
// (core/fleet's FleetMerger), so a fleet's backlogs are never all in memory at once.
FleetBacklog fetch_and_merge_backlogs(const std::vector<FleetTarget>& targets,
                                      const FleetClientOptions& options, std::int64_t now);

struct HostFindingsResult {
  FleetTarget target;
  Result<HostFindings> findings;
};
// GET /api/v1/findings of each target; each finding's instance filled in.
std::vector<HostFindingsResult> fetch_findings(const std::vector<FleetTarget>& targets,
                                               const FleetClientOptions& options);

// /api/v1/findings, /api/v1/feeds and the backlog's wave of each target.
std::vector<HostStatus> fetch_statuses(const std::vector<FleetTarget>& targets,
                                       const FleetClientOptions& options, std::int64_t now,
                                       std::int64_t stale_after);

}  // namespace patchparty::fleet
