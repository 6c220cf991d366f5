#include "core/watch/verdict.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace patchparty::watch {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::int64_t kEvent = 1'800'000'000;

// Probes every 30 s from `from` (relative to the event), healthy unless listed in `failed`.
std::vector<Sample> probes(int from, int to, std::vector<int> failed = {}) {
  std::vector<Sample> out;
  for (int t = from; t <= to; t += 30)
    out.push_back({kEvent + t, std::find(failed.begin(), failed.end(), t) == failed.end()});
  return out;
}

WatchPolicy policy() {
  return WatchPolicy{};
}  // 10 min, threshold 3, 2 in a row

TEST(Verdict, HealthyThroughTheWindowPasses) {
  std::map<std::string, std::vector<Sample>> h{{"http", probes(-300, 600)}};
  EXPECT_EQ(judge(kEvent, kEvent + 300, policy(), h).verdict, Verdict::watching);
  auto j = judge(kEvent, kEvent + 600, policy(), h);
  EXPECT_EQ(j.verdict, Verdict::passed);
  EXPECT_THAT(j.reason, HasSubstr("passed"));
}

TEST(Verdict, ConsecutiveFailuresRegressAtOnce) {
  std::map<std::string, std::vector<Sample>> h{{"http", probes(-300, 90, {60, 90})}};
  auto j = judge(kEvent, kEvent + 90, policy(), h);
  EXPECT_EQ(j.verdict, Verdict::regressed) << "no need to wait for the window's end";
  ASSERT_EQ(j.checks.size(), 1u);
  EXPECT_EQ(j.checks[0].longest_failure_run, 2);
  EXPECT_THAT(j.reason, HasSubstr("http: 2 failed probes in a row"));
}

TEST(Verdict, FlappingBelowTheLimitsDoesNotRegress) {
  // Alternating: never two in a row, and only two failures in the window.
  std::map<std::string, std::vector<Sample>> h{{"http", probes(-300, 600, {60, 120})}};
  auto j = judge(kEvent, kEvent + 600, policy(), h);
  EXPECT_EQ(j.verdict, Verdict::passed) << j.reason;
  EXPECT_EQ(j.checks[0].failures, 2);
}

TEST(Verdict, ScatteredFailuresReachTheThreshold) {
  std::map<std::string, std::vector<Sample>> h{{"http", probes(-300, 600, {60, 180, 300})}};
  auto j = judge(kEvent, kEvent + 600, policy(), h);
  EXPECT_EQ(j.verdict, Verdict::regressed);
  EXPECT_THAT(j.reason, HasSubstr("3 failed probes in the window"));
}

TEST(Verdict, ACheckFailingBeforeThePatchDoesNotBlameIt) {
  std::map<std::string, std::vector<Sample>> h{{"db", probes(-300, 600, {-60, -30, 0, 30, 60, 90})},
                                               {"http", probes(-300, 600)}};
  auto j = judge(kEvent, kEvent + 600, policy(), h);
  EXPECT_EQ(j.verdict, Verdict::passed) << j.reason;
  ASSERT_EQ(j.checks.size(), 2u);
  EXPECT_FALSE(j.checks[0].baseline_healthy);
  EXPECT_FALSE(j.checks[0].regressed);
  EXPECT_THAT(j.checks[0].reason, HasSubstr("already failing before the patch"));
  EXPECT_THAT(j.reason, HasSubstr("db was already failing before the patch"));
  EXPECT_THAT(j.reason, Not(HasSubstr("http was")));
}

TEST(Verdict, OnlyTheBaselineWindowCountsAsBefore) {
  // Failing long ago, healthy right before the patch, failing after: the patch is to blame.
  std::map<std::string, std::vector<Sample>> h{
      {"http", probes(-3000, 120, {-3000, -2970, 60, 90})}};
  EXPECT_EQ(judge(kEvent, kEvent + 120, policy(), h).verdict, Verdict::regressed);
}

TEST(Verdict, NoBaselineIsJudgedWithANote) {
  std::map<std::string, std::vector<Sample>> h{{"http", probes(0, 90, {30, 60})}};
  auto j = judge(kEvent, kEvent + 90, policy(), h);
  EXPECT_EQ(j.verdict, Verdict::regressed);
  EXPECT_TRUE(j.checks[0].no_baseline);
  EXPECT_THAT(j.checks[0].reason, HasSubstr("no probe before the patch"));
}

TEST(Verdict, ProbesAfterTheWindowAreIgnored) {
  std::map<std::string, std::vector<Sample>> h{{"http", probes(-300, 900, {630, 660, 690})}};
  EXPECT_EQ(judge(kEvent, kEvent + 900, policy(), h).verdict, Verdict::passed);
}

TEST(Recovery, NeedsHealthyProbesInARowAfterTheRollback) {
  const std::int64_t rb = kEvent + 120;
  std::map<std::string, std::vector<Sample>> h{{"http", probes(0, 180, {30, 60, 90, 120})}};
  EXPECT_EQ(judge_recovery(rb, kEvent + 150, policy(), {"http"}, h), Recovery::verifying);
  h["http"] = probes(0, 180, {30, 60, 90, 120});  // 150, 180 healthy
  EXPECT_EQ(judge_recovery(rb, kEvent + 180, policy(), {"http"}, h), Recovery::recovered);
  // Once reached, a later blip does not undo the recovery.
  h["http"].push_back({kEvent + 210, false});
  EXPECT_EQ(judge_recovery(rb, kEvent + 210, policy(), {"http"}, h), Recovery::recovered);
}

TEST(Recovery, StillFailingAtTheWindowsEndIsNotRecovered) {
  const std::int64_t rb = kEvent + 120;
  std::vector<int> failed;
  for (int t = 30; t <= 800; t += 30) failed.push_back(t);
  std::map<std::string, std::vector<Sample>> h{{"http", probes(0, 780, failed)}};
  EXPECT_EQ(judge_recovery(rb, kEvent + 600, policy(), {"http"}, h), Recovery::verifying);
  EXPECT_EQ(judge_recovery(rb, rb + 600, policy(), {"http"}, h), Recovery::not_recovered);
  EXPECT_EQ(judge_recovery(rb, rb + 600, policy(), {"missing"}, h), Recovery::not_recovered);
}

}  // namespace
}  // namespace patchparty::watch
