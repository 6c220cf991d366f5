// The fleet at a glance (`patchparty fleet status`) and its findings in one list
// (`patchparty fleet findings`), from what each host's API serves.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/model/finding.h"

namespace patchparty::fleet {

// One open finding of one host (findings[] of patchparty.findings/v1), what a fleet list shows.
struct FleetFinding {
  std::string host, instance, project, ecosystem, package, installed, vulnerability;
  SeverityLevel severity = SeverityLevel::unknown;
  double risk = 0;
  bool kev = false;
  std::string fixed_version, fix_status;
};

// What a host's /api/v1/findings says beside its findings.
struct HostFindings {
  std::string host, version;
  std::int64_t scanned_at = 0;
  std::vector<FleetFinding> findings;
};

struct FeedSuccess {
  std::string feed;
  std::int64_t last_success_at = 0;  // 0: never
};

struct HostStatus {
  std::string instance, url;
  bool reachable = false;
  std::string error;  // why not reachable
  std::string host, version, wave;
  std::int64_t last_scan = 0;
  std::string oldest_feed;                 // the feed whose last success is the oldest
  std::int64_t oldest_feed_success = 0;    // 0: a feed never succeeded (or none configured)
  std::array<std::int64_t, 5> findings{};  // by SeverityLevel
  std::int64_t kev = 0;
  std::vector<std::string> stale;  // "last scan 3d ago", "feed osv never succeeded"
};

// Fills the status of a reachable host from its documents; `stale_after` seconds without a scan
// or a feed success flags it stale.
HostStatus host_status(std::string instance, std::string url, const HostFindings& findings,
                       std::span<const FeedSuccess> feeds, std::string wave, std::int64_t now,
                       std::int64_t stale_after);

// Risk (desc), then host, instance, package, vulnerability.
void sort_fleet_findings(std::vector<FleetFinding>& findings);

}  // namespace patchparty::fleet
