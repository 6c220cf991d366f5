// Which job runs next: per-job intervals with random jitter, so a fleet of hosts does not hit
// the same feed at the same second. Pure bookkeeping: the caller owns the clock and the thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"

namespace patchparty::lifecycle {

using Clock = std::chrono::steady_clock;

struct Job {
  std::string name;  // "inventory", "feed:osv": log lines and metric labels
  std::chrono::milliseconds interval;
  // Checks the stop token between units of work and returns early when asked to stop.
  std::function<Result<void>(std::stop_token)> run;
};

class Scheduler {
 public:
  Scheduler(double jitter, std::uint64_t seed) : jitter_(jitter), rng_(seed) {}

  // Replaces the job list (start-up and config reload). A job whose name and interval are
  // unchanged keeps its next due time, so a reload does not trigger a burst of work; a new or
  // changed job runs at once.
  void set_jobs(std::vector<Job> jobs, Clock::time_point now);

  // Earliest due time over all jobs; time_point::max() when there are none.
  Clock::time_point next_due() const;
  // The most overdue job at `now`, or nullptr. The pointer stays valid until set_jobs.
  Job* due(Clock::time_point now);
  // Makes the job the next one due, ahead of any overdue one (an operator asked for it); false
  // when there is no job of that name.
  bool run_next(std::string_view name);
  // Schedules the job's next run one jittered interval after `now`.
  void completed(std::string_view name, Clock::time_point now);

  std::chrono::milliseconds jittered(std::chrono::milliseconds interval);

 private:
  struct Entry {
    Job job;
    Clock::time_point next;
  };
  double jitter_;
  std::mt19937_64 rng_;
  std::vector<Entry> entries_;
};

}  // namespace patchparty::lifecycle
