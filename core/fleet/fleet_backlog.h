// The fleet's party: the backlogs of many hosts (each a patchparty.backlog/v1 document a
// patchpartyd serves) merged into one ranked plan, one task per upgrade across hosts.
//
// Hosts are found by collectors/fleet_hosts (Prometheus targets, a static list, file_sd) and
// their backlogs read there; this module only merges values, so it is tested without a network.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/finding.h"

namespace patchparty::fleet {

// The command a host's backlog gives for its task, as it gives it.
struct HostCommand {
  std::vector<std::string> argv;
  std::string directory;  // empty: anywhere on the host
  std::string shell;      // argv quoted for a POSIX shell
};

// One vulnerability a task fixes, as the host's backlog names it.
struct FleetVulnerability {
  std::string id;
  std::vector<std::string> aliases;  // sorted
  SeverityLevel severity = SeverityLevel::unknown;
  std::optional<double> cvss;
  bool kev = false, kev_ransomware = false;
  double risk = 0;
};

// One task of one host's backlog (tasks[] of patchparty.backlog/v1).
struct HostTask {
  std::string priority;  // "now", "next" or "later"
  std::string project;   // empty: a host package
  std::string ecosystem, package;
  std::string target_version;              // empty for a third party's package
  std::string distribution_fixed_version;  // a third party's package: the distribution's fix
  std::string origin;                      // "distribution", "third-party" or "" (application)
  std::string supplier;
  std::vector<std::string> binaries, installed, locations, notes;
  double max_risk = 0;
  SeverityLevel max_severity = SeverityLevel::unknown;
  bool kev = false, kev_ransomware = false, overdue = false;
  std::int64_t first_seen = 0, due = 0;  // unix seconds
  std::optional<HostCommand> command;
  std::vector<FleetVulnerability> vulnerabilities;
};

// What a party needs of a host's restart section.
struct HostRestart {
  std::int64_t checked_at = 0;
  bool reboot_required = false, kernel_outdated = false;
  std::vector<std::string> reboot_packages;
  std::vector<std::string> units;  // services running replaced or deleted code
  std::int64_t stale_processes = 0;
};

// One host's backlog, read from its JSON.
struct HostBacklog {
  std::string host;  // the name the daemon gives itself
  std::string wave;  // party.wave; empty: none
  std::int64_t generated_at = 0;
  std::vector<HostTask> tasks;
  std::int64_t watch = 0, suppressed = 0;
  std::optional<HostRestart> restart;
};

// A discovered host and what became of asking it for its backlog.
struct HostResult {
  std::string instance;  // how discovery names it: Prometheus' instance label, HOST:PORT
  std::string url;       // the base URL it was asked at
  std::optional<HostBacklog> backlog;
  std::string error;  // why there is no backlog: "connection refused", "401: wrong bearer token"
};

// One host of a fleet task.
struct TaskHost {
  std::string host, instance, wave;
  std::string priority;  // the priority this host's own backlog gives the task
  std::vector<std::string> installed, binaries, locations;
  std::optional<HostCommand> command;
  bool overdue = false;
  std::int64_t due = 0;
};

struct FleetTask {
  std::string project, ecosystem, package, target_version;
  std::string origin, supplier, distribution_fixed_version;
  std::string priority;  // the most urgent over its hosts
  double max_risk = 0;
  SeverityLevel max_severity = SeverityLevel::unknown;
  bool kev = false, kev_ransomware = false, overdue = false;
  std::int64_t first_seen = 0, due = 0;  // earliest over the hosts
  std::vector<TaskHost> hosts;           // by wave (wave_before), then host, then instance
  std::vector<FleetVulnerability> vulnerabilities;  // risk (desc), then id
  std::vector<std::string> notes;                   // distinct, sorted
  bool versions_differ = false;                     // hosts have different installed versions
};

struct IncludedHost {
  std::string host, instance, url, wave;
  std::int64_t generated_at = 0;
  std::int64_t tasks = 0, watch = 0, suppressed = 0;
  std::optional<HostRestart> restart;
};

struct ExcludedHost {
  std::string instance, url, reason;
};

struct FleetSummary {
  std::int64_t tasks = 0, tasks_now = 0, tasks_next = 0, tasks_later = 0;
  std::int64_t overdue = 0, kev = 0;
  std::int64_t host_tasks = 0;  // the tasks of every host's backlog, before the merge
  std::int64_t hosts = 0, hosts_not_included = 0;
  std::int64_t hosts_to_reboot = 0, hosts_with_restarts = 0;
};

struct FleetBacklog {
  std::int64_t generated_at = 0;
  std::vector<IncludedHost> hosts;         // by wave, then host, then instance
  std::vector<ExcludedHost> not_included;  // by instance
  std::vector<FleetTask> tasks;            // ranked (task_before)
  FleetSummary summary;
};

// Waves in rollout order: "canary" first, then numbered waves by number ("1" before "10"), then
// other labels by name, then hosts without a wave.
bool wave_before(std::string_view a, std::string_view b);

// One task per upgrade: host packages keyed by (ecosystem, which names the distribution and its
// release, source package, target version, and the supplier of a third party's package);
// application packages by (project, ecosystem, package, target version). Ranked as a host's
// backlog ranks (overdue or KEV first, then max risk), with more hosts first on equal risk, then
// the earliest due date, then by name. Deterministic whatever the order of `results`.
FleetBacklog merge_backlogs(std::span<const HostResult> results, std::int64_t now);

// The same merge, one host at a time, so a fleet's backlogs need not all be held at once: each
// is folded in as it arrives and dropped. Not thread-safe; finish() once.
class FleetMerger {
 public:
  FleetMerger();
  ~FleetMerger();
  FleetMerger(const FleetMerger&) = delete;
  FleetMerger& operator=(const FleetMerger&) = delete;
  void add(HostResult result);
  FleetBacklog finish(std::int64_t now);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// "upgrade openssl (Debian:12) to >= 3.0.15-1~deb12u1 on 3 hosts"
std::string fleet_task_title(const FleetTask& task);

}  // namespace patchparty::fleet
