// The shipped systemd files, checked by systemd's own tools: the daemon's sandbox stays at the
// exposure the docs state, the units load, sysusers creates the user the unit runs as,
// tmpfiles creates what the unit cannot, and the polkit rule lets that user start rollbacks and
// nothing else.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <regex>

#include "tests/support/loopback.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const fs::path kSystemdDir = fs::path(PP_SOURCE_DIR) / "systemd";

std::string read_text(const fs::path& p) {
  return testing::Subprocess::slurp(p);
}

void write_text(const fs::path& p, std::string_view text) {
  std::ofstream(p) << text;
}

// The unit with every line starting with `key=` replaced by `key=value`.
std::string with_setting(std::string unit, const std::string& key, const std::string& value) {
  std::regex line("^" + key + "=.*$", std::regex::multiline);
  return std::regex_replace(unit, line, key + "=" + value);
}

std::string setting(const std::string& unit, const std::string& key) {
  std::smatch m;
  std::regex line("^" + key + "=(.*)$", std::regex::multiline);
  return std::regex_search(unit, m, line) ? m[1].str() : std::string();
}

class SystemdFiles : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::temp_dir("systemd-files"); }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }
  testing::RunResult run(std::vector<std::string> argv) {
    const std::string tool = testing::find_on_path(argv[0]);
    EXPECT_FALSE(tool.empty()) << argv[0] << " not found: apt-get install systemd";
    if (!tool.empty()) argv[0] = tool;
    return testing::run(std::move(argv), dir_);
  }
  fs::path dir_;
};

TEST_F(SystemdFiles, DaemonSandboxExposureIsAtMostTwo) {
  auto r = run({"systemd-analyze", "security", "--offline=yes", "--no-pager",
                (kSystemdDir / "patchpartyd.service").string()});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      r.out, m, std::regex(R"(Overall exposure level for patchpartyd\.service: ([0-9]+\.[0-9]))")))
      << r.out;
  const double exposure = std::stod(m[1].str());
  EXPECT_LE(exposure, 2.0) << r.out;
  // The docs state the figure; a change to the unit that moves it must update them.
  for (const char* doc : {"README.md", "docs/operations.md"}) {
    const std::string text = read_text(fs::path(PP_SOURCE_DIR) / doc);
    EXPECT_NE(text.find("exposure level **" + m[1].str() + "**"), std::string::npos)
        << doc << " should state the measured exposure " << m[1].str();
  }
  // The settings the score rests on are the ones systemd read (a typo would be ignored).
  for (const char* passed :
       {"✓ User=/DynamicUser=", "✓ ProtectSystem=", "✓ ProtectHome=", "✓ PrivateTmp=",
        "✓ PrivateDevices=", "✓ PrivateUsers=", "✓ NoNewPrivileges=", "✓ AmbientCapabilities=",
        "✓ CapabilityBoundingSet=~CAP_SYS_ADMIN", "✓ CapabilityBoundingSet=~CAP_SYS_PTRACE",
        "✓ SystemCallFilter=~@privileged", "✓ SystemCallFilter=~@resources",
        "✓ SystemCallArchitectures=", "✓ MemoryDenyWriteExecute=", "✓ RestrictNamespaces=~user",
        "✓ RestrictAddressFamilies=~AF_NETLINK", "✓ RestrictAddressFamilies=~AF_PACKET",
        "✓ UMask=", "✓ NotifyAccess="}) {
    EXPECT_THAT(r.out, HasSubstr(passed));
  }
  // What the daemon's function needs stays open: the system bus and sd_notify (AF_UNIX), the
  // listener and the feeds (AF_INET*), other processes' /proc for restart detection.
  for (const char* kept :
       {"✗ RestrictAddressFamilies=~AF_UNIX", "✗ RestrictAddressFamilies=~AF_(INET|INET6)",
        "✗ PrivateNetwork=", "✗ ProtectProc="}) {
    EXPECT_THAT(r.out, HasSubstr(kept));
  }
}

TEST_F(SystemdFiles, RollbackTemplateIsAnalysedAndRunsAsRoot) {
  const fs::path unit = kSystemdDir / "patchparty-rollback@.service";
  auto r = run({"systemd-analyze", "security", "--offline=yes", "--no-pager", unit.string()});
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("Overall exposure level for patchparty-rollback@"));
  // A package downgrade needs root: the unit must not switch to the daemon's user.
  EXPECT_THAT(r.out, HasSubstr("✗ User=/DynamicUser="));
  const std::string text = read_text(unit);
  EXPECT_EQ(setting(text, "Type"), "oneshot");
  EXPECT_EQ(setting(text, "ExecStart"), "/etc/patchparty/rollback.d/%i");
  EXPECT_EQ(setting(text, "TimeoutStartSec"), "5min");
  // A missing script must fail the job: a Condition would end it as "done".
  EXPECT_EQ(setting(text, "AssertFileIsExecutable"), "/etc/patchparty/rollback.d/%i");
}

// `systemd-analyze verify` checks that every command exists on this machine; the daemon is not
// installed here, so it verifies copies whose ExecStart points at the build's binary (the
// daemon) or /bin/true (the operator's rollback script, as an instance "shop").
TEST_F(SystemdFiles, UnitsVerify) {
  const std::string daemon =
      with_setting(read_text(kSystemdDir / "patchpartyd.service"), "ExecStart",
                   std::string(PATCHPARTYD_BIN) + " --config /etc/patchparty/patchparty.yml");
  write_text(dir_ / "patchpartyd.service", daemon);
  std::string rollback = read_text(kSystemdDir / "patchparty-rollback@.service");
  rollback = with_setting(rollback, "ExecStart", "/bin/true");
  write_text(dir_ / "patchparty-rollback@shop.service", rollback);
  for (const char* unit : {"patchpartyd.service", "patchparty-rollback@shop.service"}) {
    auto r = run({"systemd-analyze", "verify", "--man=no", (dir_ / unit).string()});
    EXPECT_EQ(r.code, 0) << unit << ":\n" << r.out << r.err;
    // Unknown keys and bad values are only warnings, with exit code 0.
    EXPECT_EQ(r.err, "") << unit;
  }
}

struct PasswdEntry {
  std::string name, uid, gid, gecos, home, shell;
};

std::optional<PasswdEntry> passwd_entry(const fs::path& file, const std::string& name) {
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string part; std::getline(ss, part, ':');) f.push_back(part);
    if (f.size() == 7 && f[0] == name) return PasswdEntry{f[0], f[2], f[3], f[4], f[5], f[6]};
  }
  return std::nullopt;
}

// sysusers and tmpfiles into an empty root, as a package's postinst would on a real one.
TEST_F(SystemdFiles, SysusersCreatesTheUserAndTmpfilesItsDirectories) {
  const fs::path root = dir_ / "root";
  fs::create_directories(root / "etc");
  auto users = run({"systemd-sysusers", "--root=" + root.string(),
                    (kSystemdDir / "sysusers.d" / "patchparty.conf").string()});
  ASSERT_EQ(users.code, 0) << users.err;
  auto user = passwd_entry(root / "etc" / "passwd", "patchparty");
  ASSERT_TRUE(user) << read_text(root / "etc" / "passwd");
  EXPECT_LT(std::stoi(user->uid), 1000) << "a system user";
  EXPECT_EQ(user->home, "/var/lib/patchparty");
  EXPECT_EQ(user->shell, "/usr/sbin/nologin");
  EXPECT_THAT(read_text(root / "etc" / "group"), HasSubstr("patchparty:x:" + user->gid + ":"));
  // The unit runs as the user sysusers makes.
  const std::string unit = read_text(kSystemdDir / "patchpartyd.service");
  EXPECT_EQ(setting(unit, "User"), user->name);
  EXPECT_EQ(setting(unit, "Group"), user->name);

  auto files = run({"systemd-tmpfiles", "--root=" + root.string(), "--create",
                    (kSystemdDir / "tmpfiles.d" / "patchparty.conf").string()});
  ASSERT_EQ(files.code, 0) << files.err;
  struct stat conf {
  }, rollback{};
  ASSERT_EQ(::stat((root / "etc/patchparty").c_str(), &conf), 0);
  ASSERT_EQ(::stat((root / "etc/patchparty/rollback.d").c_str(), &rollback), 0);
  // The daemon reads its configuration through the group; the root-run rollback scripts are
  // not even listable by it.
  EXPECT_EQ(conf.st_mode & 07777, 0750u);
  EXPECT_EQ(conf.st_uid, 0u);
  EXPECT_EQ(std::to_string(conf.st_gid), user->gid) << "the group from the root's /etc/group";
  EXPECT_EQ(rollback.st_mode & 07777, 0750u);
  EXPECT_EQ(rollback.st_uid, 0u);
  EXPECT_EQ(rollback.st_gid, 0u);
  // The config file the unit starts with lies in the directory tmpfiles prepares.
  EXPECT_THAT(setting(unit, "ExecStart"), HasSubstr("--config /etc/patchparty/"));
}

// polkitd has no check mode; node runs the rule the way polkitd calls it, against the decisions
// it must make. polkitd's engine (duktape) knows ECMAScript 5.1 only, which node does not check.
TEST_F(SystemdFiles, PolkitRuleLetsPatchpartyStartRollbacksOnly) {
  const std::string node = testing::find_on_path("node");
  ASSERT_FALSE(node.empty()) << "node not installed (scripts/setup.sh test installs nodejs)";
  const fs::path rules = kSystemdDir / "polkit" / "50-patchparty-rollback.rules";
  const std::string text = read_text(rules);
  for (const char* es6 : {"=>", "let ", "const ", "`"})
    EXPECT_THAT(text, ::testing::Not(HasSubstr(es6))) << "polkitd runs ECMAScript 5.1";
  auto r = testing::run(
      {node, (fs::path(PP_SOURCE_DIR) / "tests/integration/polkit_rule_check.js").string(),
       rules.string()},
      dir_);
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("10 decisions as expected"));
}

// The rule under the real polkitd (Debian 12: polkit 122, duktape): in a private mount
// namespace, polkitd reads a rules directory holding only this rule and a passwd with a
// `patchparty` user, on a bus of the test's own; pkcheck asks it about processes running as
// `patchparty` and as `nobody`.
TEST_F(SystemdFiles, PolkitdAnswersAsTheRuleSays) {
  const std::string polkitd = "/usr/lib/polkit-1/polkitd";
  ASSERT_TRUE(fs::exists(polkitd)) << "polkitd not installed (scripts/setup.sh test installs it)";
  ASSERT_EQ(::geteuid(), 0u) << "needs root (a mount namespace)";
  for (const char* tool : {"unshare", "dbus-daemon", "pkcheck", "setpriv"})
    ASSERT_FALSE(testing::find_on_path(tool).empty()) << tool;
  fs::create_directories(dir_ / "rules");
  fs::copy_file(kSystemdDir / "polkit" / "50-patchparty-rollback.rules",
                dir_ / "rules" / "50-patchparty-rollback.rules");
  // A free uid for `patchparty`, in copies of passwd and group bound over the real ones.
  std::string passwd = read_text("/etc/passwd"), group = read_text("/etc/group");
  int uid = 61234;
  while (passwd.find(":" + std::to_string(uid) + ":") != std::string::npos) ++uid;
  const std::string id = std::to_string(uid);
  write_text(dir_ / "passwd", passwd + "patchparty:x:" + id + ":" + id + "::/:/usr/sbin/nologin\n");
  write_text(dir_ / "group", group + "patchparty:x:" + id + ":\n");
  const fs::path bus = dir_ / "bus";
  ASSERT_LT(bus.string().size(), 100u);
  // A system bus that lets polkitd (it drops to the user polkitd) and everyone else in.
  write_text(dir_ / "bus.conf",
             "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\" "
             "\"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
             "<busconfig><type>system</type><listen>unix:path=" +
                 bus.string() +
                 "</listen><auth>EXTERNAL</auth><policy context=\"default\">"
                 "<allow user=\"*\"/><allow own=\"*\"/><allow send_destination=\"*\"/>"
                 "<allow receive_sender=\"*\"/></policy></busconfig>\n");
  // Paths and ids are the test's own, passed as arguments; polling with a deadline.
  const std::string script = R"(
    set -e; d=$1; uid=$2; polkitd=$3; bus=; pk=; pp=; other=
    trap 'kill $pp $other $pk $bus 2>/dev/null' EXIT
    mount --bind "$d/rules" /usr/share/polkit-1/rules.d
    mkdir -p "$d/etc-rules"; [ -d /etc/polkit-1/rules.d ] && mount --bind "$d/etc-rules" /etc/polkit-1/rules.d
    mount --bind "$d/passwd" /etc/passwd; mount --bind "$d/group" /etc/group
    export DBUS_SYSTEM_BUS_ADDRESS="unix:path=$d/bus"
    dbus-daemon --config-file="$d/bus.conf" --nofork --nopidfile >"$d/dbus.log" 2>&1 & bus=$!
    i=0; until [ -S "$d/bus" ]; do
      i=$((i+1)); [ $i -lt 300 ] || { echo "dbus-daemon did not start"; exit 1; }; sleep 0.1; done
    "$polkitd" >"$d/polkitd.log" 2>&1 & pk=$!
    setpriv --reuid="$uid" --regid="$uid" --clear-groups sleep 60 & pp=$!
    setpriv --reuid=65534 --regid=65534 --clear-groups sleep 60 & other=$!
    i=0; until grep -q "Acquired the name" "$d/polkitd.log"; do
      i=$((i+1)); [ $i -lt 300 ] || { echo "polkitd did not start"; cat "$d/polkitd.log"; exit 1; }
      sleep 0.1; done
    ask() { if pkcheck --action-id "$1" --process "$2" --detail unit "$3" --detail verb "$4" \
              >>"$d/pkcheck.log" 2>&1; then r=yes; else r=no; fi; echo "$5 $3 $4: $r"; }
    m=org.freedesktop.systemd1.manage-units
    ask $m $pp patchparty-rollback@shop.service start patchparty
    ask $m $pp patchparty-rollback@shop.service stop patchparty
    ask $m $pp patchparty-rollback@shop.service restart patchparty
    ask $m $pp nginx.service start patchparty
    ask $m $other patchparty-rollback@shop.service start nobody
  )";
  auto r = testing::run({testing::find_on_path("unshare"), "-m", "--propagation", "private",
                         "/bin/sh", "-c", script, "sh", dir_.string(), id, polkitd},
                        dir_, std::nullopt, {}, std::chrono::seconds(60));
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("patchparty patchparty-rollback@shop.service start: yes"))
      << r.out << read_text(dir_ / "pkcheck.log") << read_text(dir_ / "polkitd.log");
  EXPECT_THAT(r.out, HasSubstr("patchparty patchparty-rollback@shop.service stop: no"));
  EXPECT_THAT(r.out, HasSubstr("patchparty patchparty-rollback@shop.service restart: no"));
  EXPECT_THAT(r.out, HasSubstr("patchparty nginx.service start: no"));
  EXPECT_THAT(r.out, HasSubstr("nobody patchparty-rollback@shop.service start: no"));
}

}  // namespace
}  // namespace patchparty
