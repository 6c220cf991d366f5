#include "core/store/state_lock.h"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "tests/support/test_data.h"

namespace patchparty::store {
namespace {

namespace fs = std::filesystem;

TEST(StateLock, OneHolderAtATimeAndReleasedWithTheObject) {
  const fs::path dir = testing::temp_dir("lock") / "state";  // created by acquire
  {
    auto first = StateLock::acquire(dir, "patchpartyd");
    ASSERT_OK(first);
    EXPECT_EQ(first->file(), dir / "patchpartyd.lock");
    std::stringstream contents;
    contents << std::ifstream(dir / "patchpartyd.lock").rdbuf();
    EXPECT_EQ(contents.str(), std::to_string(::getpid()) + " patchpartyd\n");

    // flock belongs to the open file description, so a second open in this process conflicts
    // just as another process would.
    auto second = StateLock::acquire(dir, "patchparty restore");
    ASSERT_FALSE(second);
    EXPECT_EQ(second.error().code, Errc::failed_precondition);
    EXPECT_NE(second.error().message.find(dir.string()), std::string::npos);
    EXPECT_NE(second.error().message.find("pid " + std::to_string(::getpid()) + " (patchpartyd)"),
              std::string::npos)
        << second.error().message;
  }
  EXPECT_OK(StateLock::acquire(dir, "patchpartyd"));
  fs::remove_all(dir.parent_path());
}

// O_CLOEXEC: a program the holder starts does not keep the lock after the holder is gone.
TEST(StateLock, NotInheritedAcrossExec) {
  const fs::path dir = testing::temp_dir("lock-exec");
  pid_t child = -1;
  {
    auto lock = StateLock::acquire(dir, "patchpartyd");
    ASSERT_OK(lock);
    // The pipe's write end is close-on-exec too: EOF on the read end means the child has
    // exec'd, and from then on holds only what was not close-on-exec.
    int exec_done[2];
    ASSERT_EQ(::pipe2(exec_done, O_CLOEXEC), 0);
    child = ::fork();
    if (child == 0) {
      ::execl("/bin/sleep", "sleep", "5", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(exec_done[1]);
    ASSERT_GT(child, 0);
    char c;
    while (::read(exec_done[0], &c, 1) > 0) {
    }
    ::close(exec_done[0]);
  }
  auto again = StateLock::acquire(dir, "patchpartyd");
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  EXPECT_OK(again);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace patchparty::store
