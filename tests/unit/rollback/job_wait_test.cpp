// JobWait: the JobRemoved signal of the started job counts whether it arrived before or after
// StartUnit's reply; other jobs' signals never do.
#include "daemon/rollback/job_wait.h"

#include <gtest/gtest.h>

namespace patchparty::rollback {
namespace {

constexpr const char* kJob = "/org/freedesktop/systemd1/job/42";

TEST(JobWait, SignalAfterTheReplyIsTheResult) {
  JobWait w;
  w.started(kJob);
  EXPECT_FALSE(w.result);
  w.removed("/org/freedesktop/systemd1/job/41", "done");
  EXPECT_FALSE(w.result);
  w.removed(kJob, "failed");
  ASSERT_TRUE(w.result);
  EXPECT_EQ(*w.result, "failed");
}

// The race: the job finished before the reply was read.
TEST(JobWait, SignalBeforeTheReplyIsKeptUntilTheJobIsKnown) {
  JobWait w;
  w.removed("/org/freedesktop/systemd1/job/40", "failed");
  w.removed(kJob, "done");
  w.removed("/org/freedesktop/systemd1/job/43", "canceled");
  EXPECT_FALSE(w.result);
  w.started(kJob);
  ASSERT_TRUE(w.result);
  EXPECT_EQ(*w.result, "done");
}

TEST(JobWait, OtherJobsBeforeTheReplyAreNotTheResult) {
  JobWait w;
  w.removed("/org/freedesktop/systemd1/job/40", "done");
  w.started(kJob);
  EXPECT_FALSE(w.result);
  w.removed(kJob, "timeout");
  ASSERT_TRUE(w.result);
  EXPECT_EQ(*w.result, "timeout");
}

TEST(JobWait, TheFirstResultStays) {
  JobWait w;
  w.started(kJob);
  w.removed(kJob, "done");
  w.removed(kJob, "failed");  // a reused path must not overwrite what was decided
  EXPECT_EQ(*w.result, "done");
}

}  // namespace
}  // namespace patchparty::rollback
