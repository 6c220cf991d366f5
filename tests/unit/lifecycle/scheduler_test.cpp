#include "daemon/lifecycle/scheduler.h"

#include <gtest/gtest.h>

namespace patchparty::lifecycle {
namespace {

using namespace std::chrono_literals;

Job job(std::string name, std::chrono::milliseconds interval) {
  return Job{std::move(name), interval, [](std::stop_token) -> Result<void> { return {}; }};
}

TEST(Scheduler, NewJobsAreDueAtOnce) {
  Scheduler s(0.0, 1);
  Clock::time_point t0{};
  s.set_jobs({job("a", 10s), job("b", 20s)}, t0);
  EXPECT_EQ(s.next_due(), t0);
  ASSERT_NE(s.due(t0), nullptr);
}

TEST(Scheduler, CompletedJobWaitsItsInterval) {
  Scheduler s(0.0, 1);
  Clock::time_point t0{};
  s.set_jobs({job("a", 10s)}, t0);
  s.completed("a", t0);
  EXPECT_EQ(s.due(t0 + 9s), nullptr);
  EXPECT_EQ(s.next_due(), t0 + 10s);
  ASSERT_NE(s.due(t0 + 10s), nullptr);
  EXPECT_EQ(s.due(t0 + 10s)->name, "a");
}

TEST(Scheduler, PicksTheMostOverdueJob) {
  Scheduler s(0.0, 1);
  Clock::time_point t0{};
  s.set_jobs({job("a", 10s), job("b", 5s)}, t0);
  s.completed("a", t0);
  s.completed("b", t0);
  EXPECT_EQ(s.due(t0 + 30s)->name, "b");
}

TEST(Scheduler, RunNextGoesAheadOfOverdueJobs) {
  Scheduler s(0.0, 1);
  Clock::time_point t0{};
  s.set_jobs({job("inventory", 1h), job("feed:osv", 5s)}, t0);
  s.completed("inventory", t0);
  s.completed("feed:osv", t0);
  EXPECT_EQ(s.due(t0 + 1s), nullptr);
  ASSERT_TRUE(s.run_next("inventory"));
  ASSERT_NE(s.due(t0 + 1s), nullptr);
  EXPECT_EQ(s.due(t0 + 1s)->name, "inventory");
  EXPECT_EQ(s.due(t0 + 30s)->name, "inventory");  // ahead of the overdue feed
  s.completed("inventory", t0 + 30s);
  EXPECT_EQ(s.due(t0 + 30s)->name, "feed:osv");
  EXPECT_FALSE(s.run_next("nope"));
}

TEST(Scheduler, JitterStaysWithinTheFraction) {
  Scheduler s(0.1, 42);
  std::chrono::milliseconds lo = 1h, hi = 0ms;
  for (int i = 0; i < 2000; ++i) {
    auto d = s.jittered(100s);
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  EXPECT_GE(lo, 90s);
  EXPECT_LE(hi, 110s);
  // Spread, not a constant: a fleet must not fetch in step.
  EXPECT_LT(lo, 92s);
  EXPECT_GT(hi, 108s);
}

TEST(Scheduler, ReloadKeepsScheduleOfUnchangedJobs) {
  Scheduler s(0.0, 1);
  Clock::time_point t0{};
  s.set_jobs({job("a", 10s), job("b", 10s)}, t0);
  s.completed("a", t0);
  s.completed("b", t0);
  s.set_jobs({job("a", 10s), job("b", 20s), job("c", 10s)}, t0 + 1s);
  // a unchanged: still due at t0+10s; b changed and c new: due at once.
  EXPECT_EQ(s.due(t0 + 1s) != nullptr, true);
  std::vector<std::string> due_now;
  while (Job* j = s.due(t0 + 1s)) {
    due_now.push_back(j->name);
    s.completed(j->name, t0 + 1s);
  }
  std::sort(due_now.begin(), due_now.end());
  EXPECT_EQ(due_now, (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(s.next_due(), t0 + 10s);
}

}  // namespace
}  // namespace patchparty::lifecycle
