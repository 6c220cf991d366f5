// CommandRollback with real programs: exit status, output, timeout, stop, refused values.
#include "daemon/rollback/command_rollback.h"

#include <gtest/gtest.h>

#include <thread>

#include "tests/support/test_data.h"
#include "tests/unit/rollback/stopped_run.h"

namespace patchparty::rollback {
namespace {

using namespace std::chrono_literals;

watch::RollbackValues values(std::string to_version = "1.2-1") {
  return {.target = "web", .package = "nginx", .from_version = "1.1-3", .to_version = to_version};
}

config::RollbackConfig command(std::vector<std::string> argv, config::Duration timeout = 10s) {
  config::RollbackConfig c;
  c.enabled = true;
  c.command = std::move(argv);
  c.timeout = timeout;
  return c;
}

std::unique_ptr<RollbackRunner> make(const config::RollbackConfig& c,
                                     const watch::RollbackValues& v = values()) {
  auto r = make_rollback(c, v);
  EXPECT_TRUE(r.has_value()) << r.error().to_string();
  return r ? std::move(*r) : nullptr;
}

TEST(CommandRollback, ExitZeroIsOk) {
  auto runner = make(command({"/bin/true"}));
  ASSERT_NE(runner, nullptr);
  RollbackResult r = runner->run({});
  EXPECT_TRUE(r.ok) << r.detail;
  EXPECT_EQ(r.detail, "exit 0");
}

TEST(CommandRollback, NonZeroExitIsNotOkAndQuotesTheFirstOutputLine) {
  auto runner = make(command({"/bin/sh", "-c", "echo boom; echo second line; exit 3"}));
  ASSERT_NE(runner, nullptr);
  RollbackResult r = runner->run({});
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.detail, "exit 3: boom");
}

TEST(CommandRollback, OutputInDetailIsOneBoundedLine) {
  auto runner = make(command({"/usr/bin/printf", "\\033[31m%02000d\\n", "7"}));
  ASSERT_NE(runner, nullptr);
  RollbackResult r = runner->run({});
  EXPECT_TRUE(r.ok) << r.detail;
  EXPECT_LT(r.detail.size(), 300u);
  for (char c : r.detail) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << r.detail;
  EXPECT_TRUE(r.detail.starts_with("exit 0:  [31m000")) << r.detail;
}

TEST(CommandRollback, TimeoutKillsTheCommandAndReturnsSoon) {
  auto runner = make(command({"/bin/sleep", "30"}, 300ms));
  ASSERT_NE(runner, nullptr);
  const auto started = std::chrono::steady_clock::now();
  RollbackResult r = runner->run({});
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.detail.find("timed out after 300ms"), std::string::npos) << r.detail;
  EXPECT_GE(took, 300ms);
  EXPECT_LT(took, 5s);
}

TEST(CommandRollback, StopEndsTheRunAtOnce) {
  auto runner = make(command({"/bin/sleep", "30"}, 60s));
  ASSERT_NE(runner, nullptr);
  expect_stops_at_once(*runner, 100ms);
}

TEST(CommandRollback, MissingProgramIsNotOk) {
  auto runner = make(command({"/nonexistent/rollback", "{target}"}));
  ASSERT_NE(runner, nullptr);
  RollbackResult r = runner->run({});
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.detail.find("/nonexistent/rollback"), std::string::npos) << r.detail;
}

TEST(CommandRollback, DescribeShowsTheExpandedArgv) {
  auto runner = make(command({"/usr/bin/apt-get", "install", "-y", "{package}={from_version}"}));
  ASSERT_NE(runner, nullptr);
  EXPECT_EQ(runner->describe(), "/usr/bin/apt-get install -y nginx=1.1-3");
  auto quoted = make(command({"/bin/sh", "-c", "echo it's {target}"}));
  ASSERT_NE(quoted, nullptr);
  EXPECT_EQ(quoted->describe(), "/bin/sh -c 'echo it'\\''s web'");
}

// The value reaches the program as (part of) one argument: a file it would create shows it.
TEST(CommandRollback, ValuesArriveAsSingleArguments) {
  const auto dir = testing::temp_dir("args");
  const auto file = dir / "out";
  auto runner =
      make(command({"/usr/bin/touch", dir.string() + "/out", dir.string() + "/{to_version}"}),
           values("2:1.0~rc1+b2"));
  ASSERT_NE(runner, nullptr);
  EXPECT_TRUE(runner->run({}).ok);
  EXPECT_TRUE(std::filesystem::exists(dir / "2:1.0~rc1+b2"));
  std::filesystem::remove_all(dir);
}

TEST(CommandRollback, RefusedValueBuildsNoRunner) {
  const auto dir = testing::temp_dir("refused");
  const auto marker = dir / "ran";
  for (const std::string bad : {"1;reboot", "$(id)", "`id`", "1 2", "-rf", "a/b", ""}) {
    auto r =
        make_rollback(command({"/usr/bin/touch", marker.string(), "{to_version}"}), values(bad));
    ASSERT_FALSE(r.has_value()) << "accepted '" << bad << "'";
    EXPECT_EQ(r.error().code, Errc::invalid_argument) << bad;
    EXPECT_NE(r.error().message.find("{to_version}"), std::string::npos) << r.error().message;
  }
  EXPECT_FALSE(std::filesystem::exists(marker));
  std::filesystem::remove_all(dir);
}

TEST(CommandRollback, RefusedUnitValueBuildsNoRunner) {
  config::RollbackConfig c;
  c.enabled = true;
  c.systemd_unit = "patchparty-rollback@{target}.service";
  c.bus = "user";
  auto bad = values();
  bad.target = "web;reboot";
  auto r = make_rollback(c, bad);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::invalid_argument);
  EXPECT_NE(r.error().message.find("{target}"), std::string::npos) << r.error().message;

  auto ok = make_rollback(c, values());
  ASSERT_TRUE(ok.has_value()) << ok.error().to_string();
  EXPECT_EQ((*ok)->describe(), "StartUnit patchparty-rollback@web.service (user bus)");
}

TEST(CommandRollback, ConfigWithoutCommandOrUnitIsRefused) {
  config::RollbackConfig c;
  auto r = make_rollback(c, values());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::invalid_argument);
}

}  // namespace
}  // namespace patchparty::rollback
