// The patch-party backlog: findings grouped into upgrade tasks ("upgrade P to >= V"), a watch
// list for what has no fix yet, and the suppressed findings, ranked for a top-down party.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/model/finding.h"
#include "core/model/model.h"
#include "core/model/restart_report.h"

namespace patchparty::exporters {

// The command that performs a task on its host (upgrade_command.h), for a person to run.
struct UpgradeCommand {
  std::vector<std::string> argv;
  // Where to run it: the project's directory for a lockfile's package; empty for host packages.
  std::string directory;
};

struct BacklogOptions {
  std::string host;      // the host the backlog is written for; also fills a finding's empty host
  std::int64_t now = 0;  // unix seconds: overdue is judged against it
  std::optional<std::int64_t> last_party;  // unix seconds; none: everything counts as new
  std::optional<std::int64_t> next_party;  // unix seconds; shown in the header only
  // Keep only what is new since the last party: tasks and watch items with a finding first seen
  // (or un-suppressed) after it, suppressed findings first seen after it.
  bool since_last_party = false;
  std::string wave;  // party.wave: the host's rollout wave; empty: none
  // Project name -> its directory, where a lockfile task's command runs (projects[].path).
  std::map<std::string, std::string> project_dirs;
};

// Bucket for the party and the {priority} label of patchparty_backlog_tasks.
enum class Priority { now, next, later };
std::string_view priority_name(Priority p);  // "now", "next", "later"

// One vulnerability (alias set) as a task or watch item carries it.
struct BacklogVulnerability {
  std::string id;                       // primary id
  std::vector<std::string> aliases;     // sorted
  std::vector<std::string> advisories;  // advisory record ids, sorted
  std::string summary;
  std::string url;  // reference to link the id to; empty when none is http(s)
  SeverityLevel severity = SeverityLevel::unknown;
  std::optional<double> cvss;
  bool kev = false, kev_ransomware = false;
  double risk = 0;
  std::string fixed_version;  // empty in the watch list
  FixStatus fix_status = FixStatus::fixed;
};

// The figures both tasks and watch items are ranked and flagged by.
struct BacklogFacts {
  std::string host, project, ecosystem;
  std::string package;                 // source package for distro ecosystems, else the name
  std::vector<std::string> binaries;   // installed package names it covers, sorted
  std::vector<std::string> installed;  // installed versions, sorted
  std::vector<std::string> locations;  // lockfiles or package databases, sorted
  std::vector<BacklogVulnerability> vulnerabilities;  // risk desc, then id
  double max_risk = 0;
  SeverityLevel max_severity = SeverityLevel::unknown;
  bool kev = false, kev_ransomware = false;
  std::int64_t first_seen = 0;  // earliest over the findings
  std::int64_t due = 0;         // min over findings of first_seen + SLA, capped by CISA's due date
  bool overdue = false;         // due < now
  bool new_since_last_party = false;
  std::vector<std::string> notes;  // "suppression expired on 2026-10-31 (suppressions.yml:4)"
  Priority priority = Priority::later;
  // The installed package comes from a third party's repository, not the distribution
  // (Package::third_party): the distribution's fixed versions are no promise for it.
  bool third_party = false;
  std::string supplier;         // that repository's Origin: "nginx"
  std::string supplier_newest;  // the newest version it offers, when known
};

// "upgrade P (project X / host H) to >= V"; for a third party's package "update P (host H) from
// S, its supplier", with no target: the distribution's fix is not one S's repository offers.
struct BacklogTask : BacklogFacts {
  std::string target_version;  // the highest fixed version over the grouped findings; empty for
                               // a third party's package
  std::string distribution_fixed_version;  // third party: what the distribution fixed in
  std::optional<UpgradeCommand> command;   // none where no package manager command is known
  // The ecosystem's scheme could not order the fixed versions, so they were compared as text.
  bool versions_compared_as_text = false;
  FixStatus fix_status = FixStatus::fixed;  // always fixed: unfixed findings go to the watch list
};

// Findings with no fix to install, one item per package: mitigate or wait.
struct WatchItem : BacklogFacts {
  std::vector<FixStatus> fix_statuses;  // distinct, in enum order
};

struct SuppressedEntry {
  std::string host, project, ecosystem, package, installed, vulnerability;
  SeverityLevel severity = SeverityLevel::unknown;
  double risk = 0;
  bool kev = false;
  std::string rule, reason, vex_status, vex_justification;
  std::optional<std::int64_t> expires;
  std::int64_t first_seen = 0;
  // The finding these fields come from, host filled in: what the JSON writer is given.
  Finding finding;
};

struct BacklogSummary {
  std::size_t findings = 0;  // open findings considered (suppressed included)
  std::size_t tasks = 0, tasks_now = 0, tasks_next = 0, tasks_later = 0;
  std::size_t overdue = 0, kev = 0, new_since_last_party = 0;  // tasks
  std::size_t watch = 0, suppressed = 0;
};

struct Backlog {
  std::string host;
  std::string wave;  // the host's rollout wave (party.wave); empty: none
  std::int64_t generated_at = 0;
  std::optional<std::int64_t> last_party, next_party;
  bool since_last_party = false;
  // Overdue or KEV first, then max risk (desc), due (asc), package, host, project, ecosystem.
  std::vector<BacklogTask> tasks;
  std::vector<WatchItem> watch;             // max risk (desc), due, package, host, project
  std::vector<SuppressedEntry> suppressed;  // host, project, package, vulnerability
  BacklogSummary summary;
  // The daemon's latest restart-needed check; none before the first or when it is disabled.
  std::optional<RestartReport> restart;
};

// The remediation deadline for a finding of severity `s`, in seconds from its first sighting.
std::int64_t sla_seconds(const config::SlaConfig& sla, SeverityLevel s);

// Resolved findings are left out. Deterministic for the same input, whatever its order.
Backlog build_backlog(std::span<const Finding> findings, const config::SlaConfig& sla,
                      const BacklogOptions& options);

// "upgrade openssl (host web-1) to >= 3.0.15-1~deb12u1"; "update nginx (host web-1) from nginx,
// its supplier (the distribution's fix 1.22.1-9+deb12u1 is for its own build)".
std::string task_title(const BacklogTask& task);
// "host web-1" or "project shop / host web-1"
std::string task_scope(const BacklogFacts& facts);

// "third-party" or "distribution" for a host package, "" for an application's (finding_origin).
std::string_view facts_origin(const BacklogFacts& facts);

// Debian/Ubuntu, the rpm and apk distributions: matched and upgraded by source package.
bool is_distro_ecosystem(std::string_view ecosystem);

}  // namespace patchparty::exporters
