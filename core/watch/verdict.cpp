#include "core/watch/verdict.h"

#include <algorithm>

namespace patchparty::watch {

namespace {

CheckJudgement judge_check(const std::string& name, const std::vector<Sample>& samples,
                           std::int64_t event_at, std::int64_t window_end,
                           const WatchPolicy& policy) {
  CheckJudgement j;
  j.check = name;
  const std::int64_t baseline_from = event_at - policy.baseline.count();
  const Sample* last_before = nullptr;
  int run = 0;
  for (const auto& s : samples) {
    if (s.at < event_at) {
      if (s.at >= baseline_from) last_before = &s;
      continue;
    }
    if (s.at > window_end) break;
    ++j.probes;
    if (s.healthy) {
      run = 0;
      continue;
    }
    ++j.failures;
    j.longest_failure_run = std::max(j.longest_failure_run, ++run);
  }
  j.no_baseline = last_before == nullptr;
  j.baseline_healthy = last_before != nullptr && last_before->healthy;
  if (last_before != nullptr && !last_before->healthy) {
    j.reason = "already failing before the patch: not held against it";
    return j;
  }
  if (j.longest_failure_run >= policy.consecutive_failures) {
    j.regressed = true;
    j.reason = std::to_string(j.longest_failure_run) + " failed probes in a row (limit " +
               std::to_string(policy.consecutive_failures) + ")";
  } else if (j.failures >= policy.failure_threshold) {
    j.regressed = true;
    j.reason = std::to_string(j.failures) + " failed probes in the window (limit " +
               std::to_string(policy.failure_threshold) + ")";
  } else {
    j.reason = std::to_string(j.failures) + " of " + std::to_string(j.probes) + " probes failed";
  }
  if (j.no_baseline) j.reason += "; no probe before the patch to compare with";
  return j;
}

}  // namespace

WatchJudgement judge(std::int64_t event_at, std::int64_t now, const WatchPolicy& policy,
                     const std::map<std::string, std::vector<Sample>>& history) {
  WatchJudgement out;
  const std::int64_t window_end = event_at + policy.window.count();
  const std::int64_t until = std::min(now, window_end);
  std::string regressed;
  for (const auto& [name, samples] : history) {
    out.checks.push_back(judge_check(name, samples, event_at, until, policy));
    const auto& j = out.checks.back();
    if (j.regressed) regressed += (regressed.empty() ? "" : "; ") + name + ": " + j.reason;
  }
  if (!regressed.empty()) {
    out.verdict = Verdict::regressed;
    out.reason = "regressed: " + regressed;
  } else if (now >= window_end) {
    out.verdict = Verdict::passed;
    out.reason = "passed: no check regressed in " + std::to_string(policy.window.count()) + " s";
    // Said, so nobody reads "passed" as "healthy".
    for (const auto& j : out.checks)
      if (!j.no_baseline && !j.baseline_healthy)
        out.reason += "; " + j.check + " was already failing before the patch";
  } else {
    out.reason = "watching until " + std::to_string(window_end);
  }
  return out;
}

Recovery judge_recovery(std::int64_t rollback_at, std::int64_t now, const WatchPolicy& policy,
                        const std::vector<std::string>& regressed_checks,
                        const std::map<std::string, std::vector<Sample>>& history) {
  const std::int64_t window_end = rollback_at + policy.window.count();
  bool all = true;
  for (const auto& name : regressed_checks) {
    int run = 0;
    bool ok = false;
    if (auto it = history.find(name); it != history.end()) {
      for (const auto& s : it->second) {
        if (s.at < rollback_at || s.at > std::min(now, window_end)) continue;
        run = s.healthy ? run + 1 : 0;
        // Reached once is enough: a later blip is a new problem, not a failed recovery.
        if (run >= policy.recovery_successes) ok = true;
      }
    }
    all = all && ok;
  }
  if (all) return Recovery::recovered;
  return now >= window_end ? Recovery::not_recovered : Recovery::verifying;
}

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::watching:
      return "watching";
    case Verdict::passed:
      return "passed";
    case Verdict::regressed:
      return "regressed";
  }
  return "watching";
}

const char* recovery_name(Recovery r) {
  switch (r) {
    case Recovery::verifying:
      return "verifying";
    case Recovery::recovered:
      return "recovered";
    case Recovery::not_recovered:
      return "not_recovered";
  }
  return "verifying";
}

}  // namespace patchparty::watch
