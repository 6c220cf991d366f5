// The verdict on a patch: did the targets' health checks regress after it, judged against how
// they behaved before it. Modelled on Flagger's canary analysis (a failure threshold over the
// window) and Argo Rollouts' consecutive-failure limit, with one rule of our own: a check that was
// already failing before the patch does not blame the patch.
//
// Pure functions over probe history, so the watch engine, the CLI and the tests share them.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace patchparty::watch {

// One probe of one check (collectors/health/ keeps the history).
struct Sample {
  std::int64_t at = 0;  // unix seconds
  bool healthy = false;
};

struct WatchPolicy {
  std::chrono::seconds window{600};  // how long after the event the checks are watched
  // History before the event that forms the baseline; the check must have been healthy at its
  // last probe in there to be held against the patch.
  std::chrono::seconds baseline{600};
  int failure_threshold = 3;     // failed probes of one check within the window: regression
  int consecutive_failures = 2;  // failed probes in a row of one check: regression
  int recovery_successes = 2;    // healthy probes in a row of every regressed check: recovered
};

enum class Verdict {
  watching,   // inside the window, nothing decided yet
  passed,     // the window ended without a regression
  regressed,  // a check held against the patch crossed a limit
};

struct CheckJudgement {
  std::string check;
  bool baseline_healthy = false;  // last probe before the event was healthy
  bool no_baseline = false;       // no probe before the event at all: judged, with a note
  int probes = 0;                 // in the window so far
  int failures = 0;
  int longest_failure_run = 0;
  bool regressed = false;
  std::string reason;  // why it counts, or why it does not
};

struct WatchJudgement {
  Verdict verdict = Verdict::watching;
  std::vector<CheckJudgement> checks;  // in check-name order
  std::string reason;                  // one line for logs, alerts and `patchparty events`
};

// `history` holds each check's probes in time order (older ones are ignored as needed).
WatchJudgement judge(std::int64_t event_at, std::int64_t now, const WatchPolicy& policy,
                     const std::map<std::string, std::vector<Sample>>& history);

enum class Recovery {
  verifying,      // not yet enough healthy probes since the rollback
  recovered,      // every check that regressed is healthy again, recovery_successes in a row
  not_recovered,  // the window after the rollback ended without that
};

// After a rollback at `rollback_at`: did the checks that regressed come back?
Recovery judge_recovery(std::int64_t rollback_at, std::int64_t now, const WatchPolicy& policy,
                        const std::vector<std::string>& regressed_checks,
                        const std::map<std::string, std::vector<Sample>>& history);

const char* verdict_name(Verdict v);
const char* recovery_name(Recovery r);

}  // namespace patchparty::watch
