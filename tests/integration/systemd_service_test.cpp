// patchpartyd under a real systemd, in the shipped unit's sandbox: a user manager
// (tests/support/systemd_user_manager.h) runs a variant of systemd/patchpartyd.service generated
// from the real file, so the hardening tested is the hardening shipped. `systemctl start` returns
// once the daemon said READY=1, the watchdog is fed (and kills a daemon that stops feeding it),
// reload is SIGHUP, stop is clean.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <fstream>
#include <regex>

#include "tests/support/loopback.h"
#include "tests/support/subprocess.h"
#include "tests/support/systemd_user_manager.h"
#include "tests/support/test_data.h"

namespace patchparty {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kUnit = "patchpartyd.service";

bool under(const fs::path& p, std::initializer_list<const char*> dirs) {
  const std::string s = p.lexically_normal().string() + "/";
  for (const char* d : dirs)
    if (s.rfind(std::string(d) + "/", 0) == 0) return true;
  return false;
}

// What the test changes in the real unit, and why. A user manager runs its units as its own
// user (root here) and cannot switch: User= and Group= go. Every other sandbox setting stays;
// StateDirectory=, CacheDirectory= and ConfigurationDirectory= land under the manager's
// $XDG_CONFIG_HOME and $XDG_CACHE_HOME, which the test points into its own directory.
// One more where the kernel gives no choice: it refuses a new user namespace to a chrooted
// process (create_user_ns: current_chrooted()), so PrivateUsers=yes fails every start with
// 217/USER in a chroot (a build root, a fresh-machine check), never on a host, VM or container.
struct Variant {
  std::string exec_start;
  fs::path log;
  fs::path test_dir;
  bool user_namespaces = true;
};

// Whether this process may create a user namespace, asked of a child so nothing here changes.
bool user_namespaces_allowed() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(::unshare(CLONE_NEWUSER) == 0 ? 0 : 1);
  int status = 0;
  return child > 0 && ::waitpid(child, &status, 0) == child && WIFEXITED(status) &&
         WEXITSTATUS(status) == 0;
}

std::string user_manager_variant(const std::string& real, const Variant& v) {
  std::istringstream in(real);
  std::ostringstream out;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("User=", 0) == 0 || line.rfind("Group=", 0) == 0) {
      out << "# (test) dropped, a user manager cannot switch users: " << line << "\n";
      continue;
    }
    if (line == "PrivateUsers=yes" && !v.user_namespaces) {
      out << "# (test) dropped, no user namespace for a chrooted process: " << line << "\n";
      continue;
    }
    if (line.rfind("ExecStart=", 0) == 0) line = "ExecStart=" + v.exec_start;
    // Three periods fit in seconds; the daemon pings at half of it.
    if (line.rfind("WatchdogSec=", 0) == 0) line = "WatchdogSec=3";
    // The build (the binary, this test's files) may live in a home or below /tmp, which the
    // real unit hides; the daemon would not even start.
    if (line == "ProtectHome=yes" && under(v.test_dir, {"/home", "/root", "/run/user"}))
      line = "ProtectHome=read-only";
    if (line == "PrivateTmp=yes" && under(v.test_dir, {"/tmp", "/var/tmp"})) line = "PrivateTmp=no";
    out << line << "\n";
    if (line == "[Service]") {
      // No journald under the test's manager.
      out << "StandardOutput=append:" << v.log.string() << "\n"
          << "StandardError=append:" << v.log.string()
          << "\n"
          // A SIGSTOPped daemon ignores the watchdog's SIGABRT until SIGKILL follows.
          << "TimeoutAbortSec=2s\n";
#if defined(__SANITIZE_ADDRESS__)
      // LeakSanitizer inspects the threads with ptrace at exit, which @system-service refuses.
      out << "SystemCallFilter=ptrace\n";
#endif
    }
  }
  return out.str();
}

// The nodes PID 1 keeps in /run/systemd/inaccessible and mounts over what ProtectHome=,
// ProtectKernelLogs= and InaccessiblePaths= hide. The manager's private /run/systemd lacks them.
void make_inaccessible_nodes(const fs::path& dir) {
  fs::create_directories(dir / "dir");
  std::ofstream(dir / "reg").close();
  ::mkfifo((dir / "fifo").c_str(), 0);
  // Device nodes need CAP_MKNOD; without them only character and block devices stay visible.
  ::mknod((dir / "chr").c_str(), S_IFCHR, makedev(0, 0));
  ::mknod((dir / "blk").c_str(), S_IFBLK, makedev(0, 0));
  for (const char* n : {"dir", "reg", "fifo", "chr", "blk"}) {
    std::error_code ec;
    fs::permissions(dir / n, fs::perms::none, ec);
  }
}

class SystemdService : public ::testing::Test {
 protected:
  void SetUp() override {
    // Not below /tmp: PrivateTmp=yes hides it. Not below /run: in the test's manager,
    // ProtectKernelTunables= and ProtectControlGroups= give the service an empty /run, which
    // would hide the manager's notify socket. Next to the binary under test, then.
    dir_ =
        fs::path(PATCHPARTYD_BIN).parent_path() /
        ("sdsvc-" +
         std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()).substr(0, 8) +
         "-" + std::to_string(::getpid()));
    ASSERT_FALSE(under(dir_, {"/run"})) << "build outside /run to run this test: " << dir_;
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "sd" / "run");
    make_inaccessible_nodes(dir_ / "sd" / "run" / "inaccessible");
    // The manager inherits these and places StateDirectory= and CacheDirectory= below them.
    ::setenv("XDG_CONFIG_HOME", (dir_ / "config").c_str(), 1);
    ::setenv("XDG_CACHE_HOME", (dir_ / "cache").c_str(), 1);
    std::string why;
    sd_ = testing::SystemdUserManager::start(dir_ / "sd", why);
    ASSERT_TRUE(sd_) << "no systemd user manager: " << why;

    port_ = testing::free_port();
    std::ofstream(dir_ / "patchparty.yml") << "listen: 127.0.0.1:" << port_ << "\n"
                                           << "log_level: debug\n"
                                           << "feeds: []\n"
                                           << "inventory:\n  interval: 1h\n"
                                           // No system bus here; /proc is read as in production.
                                           << "restart:\n  bus: none\n  interval: 1h\n";
    const std::string real =
        testing::Subprocess::slurp(fs::path(PP_SOURCE_DIR) / "systemd" / "patchpartyd.service");
    ASSERT_FALSE(real.empty());
    const std::string unit_text =
        user_manager_variant(real, {.exec_start = std::string(PATCHPARTYD_BIN) + " --config " +
                                                  (dir_ / "patchparty.yml").string(),
                                    .log = dir_ / "daemon.log",
                                    .test_dir = dir_,
                                    .user_namespaces = user_namespaces_allowed()});
    if (unit_text.find("(test) dropped, no user namespace") != std::string::npos)
      std::cerr << "note: in a chroot: the unit runs without PrivateUsers=yes\n";
    std::ofstream(sd_->unit_dir() / kUnit) << unit_text;
    auto reload = sd_->run({"systemctl", "--user", "daemon-reload"});
    ASSERT_EQ(reload.code, 0) << reload.err;
  }

  void TearDown() override {
    sd_.reset();  // stops the unit with the manager
    if (!HasFailure()) fs::remove_all(dir_);
  }

  std::string show(const std::string& property) const {
    auto r = sd_->run({"systemctl", "--user", "show", "-p", property, "--value", kUnit});
    std::string v = r.out;
    while (!v.empty() && (v.back() == '\n' || v.back() == ' ')) v.pop_back();
    return v;
  }
  std::string log() const { return testing::Subprocess::slurp(dir_ / "daemon.log"); }
  // What the manager says of a unit that did not start (its exit status names the step of the
  // sandbox that failed, e.g. 226/NAMESPACE), and its own messages.
  std::string why() const {
    auto r = sd_->run({"systemctl", "--user", "status", "--no-pager", "-l", kUnit});
    return "\n" + r.out + r.err +
           "manager: " + testing::Subprocess::slurp(dir_ / "sd" / "systemd.err") +
           "daemon: " + log();
  }
  bool wait_log(std::string_view needle, std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (log().find(needle) != std::string::npos) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  }
  testing::RunResult systemctl(const std::string& verb) const {
    return sd_->run({"systemctl", "--user", verb, kUnit}, 60s);
  }

  fs::path dir_;
  std::unique_ptr<testing::SystemdUserManager> sd_;
  int port_ = 0;
};

TEST(SystemdServiceVariant, DropsPrivateUsersOnlyWhereTheKernelRefusesIt) {
  const std::string real =
      testing::Subprocess::slurp(fs::path(PP_SOURCE_DIR) / "systemd" / "patchpartyd.service");
  ASSERT_THAT(real, HasSubstr("\nPrivateUsers=yes\n"));
  Variant v{.exec_start = "/usr/sbin/patchpartyd", .log = "/x/log", .test_dir = "/srv/build"};
  EXPECT_THAT(user_manager_variant(real, v), HasSubstr("\nPrivateUsers=yes\n"));
  v.user_namespaces = false;
  const std::string chrooted = user_manager_variant(real, v);
  EXPECT_THAT(chrooted, Not(HasSubstr("\nPrivateUsers=yes\n")));
  EXPECT_THAT(chrooted, HasSubstr("\nProtectSystem=strict\n"));
}

TEST(SystemdServiceVariant, KeepsEveryHardeningLine) {
  const std::string real =
      testing::Subprocess::slurp(fs::path(PP_SOURCE_DIR) / "systemd" / "patchpartyd.service");
  const std::string unit = user_manager_variant(
      real, {.exec_start = "/usr/sbin/patchpartyd", .log = "/x/log", .test_dir = "/srv/build"});
  std::istringstream in(real);
  int kept = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#' || line[0] == '[') continue;
    for (const char* changed : {"User=", "Group=", "ExecStart=", "WatchdogSec="}) {
      if (line.rfind(changed, 0) == 0) line.clear();
    }
    if (line.empty() || line == "ProtectHome=yes" || line == "PrivateTmp=yes") continue;
    EXPECT_THAT(unit, HasSubstr("\n" + line + "\n"));
    ++kept;
  }
  EXPECT_GT(kept, 30);
  EXPECT_THAT(unit, ::testing::Not(HasSubstr("\nUser=")));
}

TEST_F(SystemdService, StartsWhenReadyFeedsTheWatchdogReloadsAndStops) {
  auto start = systemctl("start");
  ASSERT_EQ(start.code, 0) << start.err << why();
  // Type=notify: start returned after READY=1, which the daemon sends once it serves HTTP.
  EXPECT_EQ(show("ActiveState"), "active");
  EXPECT_EQ(testing::http_get(port_, "/healthz").status, 200) << log();
  EXPECT_EQ(show("WatchdogUSec"), "3s");
  const std::string pid = show("MainPID");
  ASSERT_NE(pid, "0");

  // StateDirectory= reached the daemon as $STATE_DIRECTORY; UMask=0077 made the store private.
  const fs::path state = dir_ / "config" / "patchparty";
  EXPECT_THAT(log(), HasSubstr("state in " + state.string()));
  struct stat db {};
  ASSERT_EQ(::stat((state / "patchparty.db").c_str(), &db), 0) << log();
  EXPECT_EQ(db.st_mode & 0777, 0600u);
  EXPECT_TRUE(fs::is_directory(dir_ / "cache" / "patchparty"));
  // The sandbox lets it read the package databases and every process' /proc directory.
  EXPECT_TRUE(wait_log("job inventory: done", 60s)) << log();
  EXPECT_TRUE(wait_log("job restart: done", 60s)) << log();
  EXPECT_THAT(log(), ::testing::Not(HasSubstr("job inventory: failed")));

  // More than three watchdog periods: still the same process, never restarted.
  const auto until = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < until) {
    ASSERT_EQ(show("ActiveState"), "active") << log();
    ASSERT_EQ(show("NRestarts"), "0") << log();
    ASSERT_EQ(show("MainPID"), pid);
    std::this_thread::sleep_for(250ms);
  }

  auto reload = systemctl("reload");
  ASSERT_EQ(reload.code, 0) << reload.err;
  EXPECT_TRUE(wait_log("SIGHUP: configuration reloaded", 10s)) << log();
  // $STATE_DIRECTORY overrides the file's state_dir: that is no change to warn about.
  EXPECT_THAT(log(), ::testing::Not(HasSubstr("state_dir changes")));
  EXPECT_EQ(show("ActiveState"), "active");
  EXPECT_EQ(show("MainPID"), pid);

  const auto stop_started = std::chrono::steady_clock::now();
  auto stop = systemctl("stop");
  ASSERT_EQ(stop.code, 0) << stop.err;
  EXPECT_LT(std::chrono::steady_clock::now() - stop_started, 5s);
  EXPECT_EQ(show("ActiveState"), "inactive");
  EXPECT_EQ(show("Result"), "success");
  EXPECT_EQ(show("ExecMainStatus"), "0") << log();
  EXPECT_THAT(log(), HasSubstr("received SIGTERM, stopping"));
  EXPECT_THAT(log(), HasSubstr("stopped"));
}

// The watchdog is real: a daemon that stops pinging (SIGSTOP) is killed by systemd, and
// Restart=on-failure brings a new one up.
TEST_F(SystemdService, WatchdogKillsAStuckDaemonAndRestartIsOnFailure) {
  auto start = systemctl("start");
  ASSERT_EQ(start.code, 0) << start.err << why();
  const std::string pid = show("MainPID");
  ASSERT_NE(pid, "0");
  ASSERT_EQ(::kill(std::stoi(pid), SIGSTOP), 0);
  // RestartSec=5s keeps the failed run's result visible in auto-restart.
  EXPECT_TRUE(sd_->wait_property(kUnit, "Result", "watchdog", 30s)) << show("Result") << log();
  ASSERT_TRUE(sd_->wait_property(kUnit, "NRestarts", "1", 30s)) << log();
  ASSERT_TRUE(sd_->wait_property(kUnit, "ActiveState", "active", 60s)) << log();
  EXPECT_NE(show("MainPID"), pid);
  EXPECT_TRUE(testing::Subprocess::slurp(fs::path("/proc") / pid / "stat").empty())
      << "the stopped daemon is gone";
  EXPECT_EQ(testing::http_get(port_, "/healthz").status, 200) << log();
}

// The rollback template as shipped, with the scripts' directory moved into the test's: root runs
// the target's script, a missing script fails the start job (what patchparty sees as a failed
// rollback), and so does a failing one.
TEST_F(SystemdService, RollbackTemplateRunsTheTargetsScriptOnly) {
  std::string unit = testing::Subprocess::slurp(fs::path(PP_SOURCE_DIR) / "systemd" /
                                                "patchparty-rollback@.service");
  ASSERT_FALSE(unit.empty());
  const fs::path scripts = dir_ / "rollback.d";
  const fs::path out = dir_ / "rollback.log";
  unit =
      std::regex_replace(unit, std::regex("/etc/patchparty/rollback\\.d/"), scripts.string() + "/");
  // No journald under the test's manager.
  unit = std::regex_replace(
      unit, std::regex("^(StandardOutput|StandardError)=journal$", std::regex::multiline),
      "$1=append:" + out.string());
  std::ofstream(sd_->unit_dir() / "patchparty-rollback@.service") << unit;
  fs::create_directories(scripts);
  auto script = [&](const std::string& name, const std::string& body) {
    std::ofstream(scripts / name) << "#!/bin/sh\n" << body;
    fs::permissions(scripts / name, fs::perms::owner_all | fs::perms::group_read);
  };
  script("shop", "echo \"rollback of $PATCHPARTY_TARGET by uid $(id -u)\"\n");
  script("broken", "echo 'downgrade failed' >&2\nexit 3\n");
  ASSERT_EQ(sd_->run({"systemctl", "--user", "daemon-reload"}).code, 0);

  auto ok = sd_->run({"systemctl", "--user", "start", "patchparty-rollback@shop.service"});
  EXPECT_EQ(ok.code, 0) << ok.err;
  auto prop = [&](const std::string& unit_name, const std::string& p) {
    auto r = sd_->run({"systemctl", "--user", "show", "-p", p, "--value", unit_name});
    return r.out.substr(0, r.out.find('\n'));
  };
  EXPECT_EQ(prop("patchparty-rollback@shop.service", "Result"), "success");
  EXPECT_THAT(testing::Subprocess::slurp(out), HasSubstr("rollback of shop by uid 0"));

  auto missing = sd_->run({"systemctl", "--user", "start", "patchparty-rollback@web.service"});
  EXPECT_NE(missing.code, 0) << "no script for the target must fail the job";
  EXPECT_EQ(prop("patchparty-rollback@web.service", "AssertResult"), "no");

  auto broken = sd_->run({"systemctl", "--user", "start", "patchparty-rollback@broken.service"});
  EXPECT_NE(broken.code, 0);
  EXPECT_EQ(prop("patchparty-rollback@broken.service", "Result"), "exit-code");
  EXPECT_EQ(prop("patchparty-rollback@broken.service", "ExecMainStatus"), "3");
}

// An invalid configuration (exit 2) is not restarted every RestartSec= forever: it stays failed
// until someone fixes the file.
TEST_F(SystemdService, InvalidConfigurationFailsOnceAndIsNotRestarted) {
  std::ofstream(dir_ / "patchparty.yml") << "inventory:\n  interval: soon\n";
  auto start = systemctl("start");
  EXPECT_NE(start.code, 0);
  ASSERT_TRUE(sd_->wait_property(kUnit, "ActiveState", "failed", 30s)) << log();
  EXPECT_EQ(show("ExecMainStatus"), "2");
  EXPECT_THAT(log(), HasSubstr("inventory.interval: bad duration 'soon'"));
  // Longer than RestartSec=5s: no second attempt.
  const auto until = std::chrono::steady_clock::now() + 7s;
  while (std::chrono::steady_clock::now() < until) {
    ASSERT_EQ(show("NRestarts"), "0");
    ASSERT_EQ(show("ActiveState"), "failed");
    std::this_thread::sleep_for(250ms);
  }
}

}  // namespace
}  // namespace patchparty
