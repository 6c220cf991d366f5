#include "daemon/lifecycle/scheduler.h"

#include <algorithm>

namespace patchparty::lifecycle {

void Scheduler::set_jobs(std::vector<Job> jobs, Clock::time_point now) {
  std::vector<Entry> next;
  next.reserve(jobs.size());
  for (auto& job : jobs) {
    Clock::time_point due = now;
    for (const auto& old : entries_) {
      if (old.job.name == job.name && old.job.interval == job.interval) due = old.next;
    }
    next.push_back(Entry{std::move(job), due});
  }
  entries_ = std::move(next);
}

Clock::time_point Scheduler::next_due() const {
  Clock::time_point best = Clock::time_point::max();
  for (const auto& e : entries_) best = std::min(best, e.next);
  return best;
}

Job* Scheduler::due(Clock::time_point now) {
  Entry* best = nullptr;
  for (auto& e : entries_) {
    if (e.next <= now && (best == nullptr || e.next < best->next)) best = &e;
  }
  return best ? &best->job : nullptr;
}

std::chrono::milliseconds Scheduler::jittered(std::chrono::milliseconds interval) {
  if (jitter_ <= 0) return interval;
  std::uniform_real_distribution<double> factor(1.0 - jitter_, 1.0 + jitter_);
  return std::chrono::milliseconds(
      static_cast<std::int64_t>(static_cast<double>(interval.count()) * factor(rng_)));
}

bool Scheduler::run_next(std::string_view name) {
  for (auto& e : entries_) {
    if (e.job.name == name) {
      e.next = Clock::time_point::min();
      return true;
    }
  }
  return false;
}

void Scheduler::completed(std::string_view name, Clock::time_point now) {
  for (auto& e : entries_) {
    if (e.job.name == name) e.next = now + jittered(e.job.interval);
  }
}

}  // namespace patchparty::lifecycle
