#include "collectors/dpkglog/log_follower.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/test_data.h"

namespace patchparty::dpkglog {
namespace {

using ::testing::ElementsAre;
namespace fs = std::filesystem;

void append(const fs::path& p, std::string_view text) {
  std::ofstream(p, std::ios::app | std::ios::binary) << text;
}

void rewrite(const fs::path& p, std::string_view text) {
  std::ofstream(p, std::ios::trunc | std::ios::binary) << text;
}

class LogFollower : public ::testing::Test {
 protected:
  // One read with the cursor carried over, as the daemon does through the store.
  std::vector<std::string> read() {
    auto r = follow_log(file_, cursor_);
    EXPECT_TRUE(r.has_value()) << r.error().to_string();
    if (!r) return {};
    cursor_ = r->cursor;
    notices_ = r->notices;
    return r->lines;
  }

  fs::path dir_ = testing::temp_dir("follow");
  fs::path file_ = dir_ / "dpkg.log";
  std::optional<events::LogCursor> cursor_;
  std::vector<std::string> notices_;
};

TEST_F(LogFollower, FirstReadStartsAtTheEndThenFollowsAppends) {
  rewrite(file_, "old 1\nold 2\n");
  EXPECT_TRUE(read().empty()) << "history before the first start is not replayed";
  ASSERT_TRUE(cursor_);
  EXPECT_EQ(cursor_->offset, 12);
  append(file_, "new 1\nnew 2\n");
  EXPECT_THAT(read(), ElementsAre("new 1", "new 2"));
  EXPECT_TRUE(read().empty());
}

TEST_F(LogFollower, PartialLineWaitsForItsEnd) {
  rewrite(file_, "");
  read();
  append(file_, "a\nhalf");
  EXPECT_THAT(read(), ElementsAre("a"));
  append(file_, " line\n");
  EXPECT_THAT(read(), ElementsAre("half line"));
}

TEST_F(LogFollower, MissingFileIsReadFromTheStartOnceItAppears) {
  EXPECT_TRUE(read().empty());
  ASSERT_TRUE(cursor_);
  EXPECT_EQ(cursor_->inode, 0u);
  rewrite(file_, "first\n");
  EXPECT_THAT(read(), ElementsAre("first"));
}

TEST_F(LogFollower, RestartWithTheStoredCursorReEmitsNothing) {
  rewrite(file_, "");
  read();
  append(file_, "one\ntwo\n");
  EXPECT_THAT(read(), ElementsAre("one", "two"));
  const auto saved = cursor_;  // what the store kept
  cursor_ = saved;             // a new process starts from it
  EXPECT_TRUE(read().empty());
  append(file_, "three\n");
  EXPECT_THAT(read(), ElementsAre("three"));
}

TEST_F(LogFollower, RotationFinishesTheOldFileThenReadsTheNewOne) {
  rewrite(file_, "");
  read();
  append(file_, "before 1\n");
  EXPECT_THAT(read(), ElementsAre("before 1"));
  append(file_, "before 2\n");  // written, not yet read, when logrotate renames the file
  fs::rename(file_, dir_ / "dpkg.log.1");
  EXPECT_THAT(read(), ElementsAre("before 2")) << "rotated, the new file not created yet";
  rewrite(file_, "after 1\n");
  EXPECT_THAT(read(), ElementsAre("after 1"));
  EXPECT_FALSE(notices_.empty());
  append(file_, "after 2\n");
  EXPECT_THAT(read(), ElementsAre("after 2"));
}

TEST_F(LogFollower, RotationWhenTheOldFileIsGoneReadsTheNewOneWhole) {
  rewrite(file_, "");
  read();
  append(file_, "before\n");
  read();
  // Moved on to a name that is not read (as dpkg.log.2.gz would be), keeping its inode busy.
  fs::rename(file_, dir_ / "dpkg.log.2");
  rewrite(file_, "after\n");
  EXPECT_THAT(read(), ElementsAre("after"));
  ASSERT_EQ(notices_.size(), 1u);
  EXPECT_THAT(notices_[0], ::testing::HasSubstr("may be missed"));
}

TEST_F(LogFollower, NewFileThatReusesTheOldInodeIsReadWhole) {
  rewrite(file_, "");
  read();
  append(file_, "a long line before the rotation\n");
  read();
  fs::remove(file_);  // the file system may hand the same inode to the next file
  rewrite(file_, "after\n");
  EXPECT_THAT(read(), ElementsAre("after"));
}

TEST_F(LogFollower, TruncatedFileRestartsFromZero) {
  rewrite(file_, "");
  read();
  append(file_, "aaaaaaaaaa\nbbbbbbbbbb\n");
  read();
  // Truncated in place (same inode), then a shorter line written.
  { std::ofstream(file_, std::ios::trunc); }
  append(file_, "c\n");
  EXPECT_THAT(read(), ElementsAre("c"));
  ASSERT_EQ(notices_.size(), 1u);
  EXPECT_THAT(notices_[0], ::testing::HasSubstr("truncated"));
}

TEST_F(LogFollower, FileRewrittenInPlaceToALongerOneIsReadAgain) {
  rewrite(file_, "");
  read();
  append(file_, "2025-01-01 first\n");
  read();
  // copytruncate, then more written than was there: the size alone cannot tell.
  rewrite(file_, "2025-02-02 other\n2025-02-02 more\n");
  EXPECT_THAT(read(), ElementsAre("2025-02-02 other", "2025-02-02 more"));
  EXPECT_THAT(notices_[0], ::testing::HasSubstr("rewritten"));
}

TEST_F(LogFollower, ReadsAtMostMaxBytesPerCall) {
  rewrite(file_, "");
  read();
  append(file_, "12345\n12345\n12345\n");
  auto r = follow_log(file_, cursor_, 14);
  ASSERT_TRUE(r.has_value());
  EXPECT_THAT(r->lines, ElementsAre("12345", "12345"));
  r = follow_log(file_, r->cursor, 14);
  ASSERT_TRUE(r.has_value());
  EXPECT_THAT(r->lines, ElementsAre("12345"));
}

}  // namespace
}  // namespace patchparty::dpkglog
