// The Debian package: built by cpack from this build tree, inspected with dpkg-deb, installed
// on this machine with apt-get, run, and purged. It needs root and the dpkg lock; it refuses to
// touch a patchparty someone else installed, and leaves the machine as it found it.
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/file.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "tests/support/loopback.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using ::testing::HasSubstr;

// What the package must install, and where.
const std::vector<std::string> kInstalledFiles = {
    "/usr/sbin/patchpartyd",
    "/usr/bin/patchparty",
    "/etc/patchparty/patchparty.yml",
    "/lib/systemd/system/patchpartyd.service",
    "/lib/systemd/system/patchparty-rollback@.service",
    "/usr/lib/sysusers.d/patchparty.conf",
    "/usr/lib/tmpfiles.d/patchparty.conf",
    "/usr/share/polkit-1/rules.d/50-patchparty-rollback.rules",
    "/usr/share/doc/patchparty/examples/patchparty.example.yml",
    "/usr/share/doc/patchparty/examples/suppressions.example.yml",
    "/usr/share/patchparty/patchparty.json",
    "/usr/share/patchparty/alerts.yml",
    "/usr/share/doc/patchparty/README.md",
    "/usr/share/doc/patchparty/docs/README.md",
    "/usr/share/doc/patchparty/docs/operations.md",
    "/usr/share/doc/patchparty/copyright",
    "/usr/share/doc/patchparty/changelog.gz",
};

// deb-systemd-helper's enablement: the unit's symlink, and its own record for purge.
const std::string kWantsLink = "/etc/systemd/system/multi-user.target.wants/patchpartyd.service";

// What the package, its maintainer scripts or the daemon may create outside its file list.
const std::vector<std::string> kStatePaths = {
    "/etc/patchparty",
    "/var/lib/patchparty",
    "/var/cache/patchparty",
    kWantsLink,
    "/var/lib/systemd/deb-systemd-helper-enabled/patchpartyd.service.dsh-also",
    "/etc/systemd/system/patchpartyd.service",  // the mask a remove leaves
    "/var/lib/systemd/deb-systemd-helper-masked/patchpartyd.service",
};

testing::RunResult tool(std::vector<std::string> argv, const fs::path& dir,
                        std::chrono::milliseconds timeout = 60s) {
  return testing::run(std::move(argv), dir, std::nullopt,
                      {{"DEBIAN_FRONTEND", "noninteractive"}, {"LC_ALL", "C"}}, timeout);
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// dpkg's idea of the package: "not-installed" also when it has never heard of it.
std::string package_status(const fs::path& dir) {
  auto r = tool({"/usr/bin/dpkg-query", "-W", "-f=${db:Status-Status}", "patchparty"}, dir);
  if (r.code != 0 || trimmed(r.out).empty()) return "not-installed";
  return trimmed(r.out);
}

bool user_exists(const char* name) {
  return ::getpwnam(name) != nullptr;
}
bool group_exists() {
  return ::getgrnam("patchparty") != nullptr;
}

// Serialises this test across ctest runs of several build trees on one machine (RUN_SERIAL
// only orders tests within one run); the lock file is left behind, empty, by design.
class MachineLock {
 public:
  // /run/lock is made at boot; a chroot's fresh /run may not have it yet.
  MachineLock() {
    std::error_code ec;
    fs::create_directories(kDir, ec);
    fd_ = ::open((std::string(kDir) + "/patchparty-deb-package-test.lock").c_str(),
                 O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0) open_error_ = std::strerror(errno);
  }
  ~MachineLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  MachineLock(const MachineLock&) = delete;
  MachineLock& operator=(const MachineLock&) = delete;
  bool acquire(std::chrono::seconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (fd_ >= 0 && ::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(200ms);
    }
    return fd_ >= 0;
  }
  std::string why() const {
    return fd_ < 0 ? std::string(kDir) + ": " + open_error_
                   : "another deb_package_test kept the machine lock for 10 min";
  }

 private:
  static constexpr const char* kDir = "/run/lock";
  int fd_ = -1;
  std::string open_error_;
};

// Undoes whatever the test got to, on every path out of it: purges the package if it is still
// there, removes the system user the package created (Debian's postrm keeps it), then the test's
// directory, which its commands write their output to until then.
class MachineRestorer {
 public:
  explicit MachineRestorer(fs::path dir) : dir_(std::move(dir)) {}
  ~MachineRestorer() { restore(); }
  MachineRestorer(const MachineRestorer&) = delete;
  MachineRestorer& operator=(const MachineRestorer&) = delete;

  void record_before() {
    user_was_absent_ = !user_exists("patchparty");
    group_was_absent_ = !group_exists();
  }
  void installing() { installed_ = true; }
  bool user_was_absent() const { return user_was_absent_; }

  // Idempotent; the test calls it to check the result, the destructor on every other way out.
  void restore() {
    if (restored_) return;
    restored_ = true;
    if (installed_ && package_status(dir_) != "not-installed") {
      auto r =
          tool({"/usr/bin/apt-get", "purge", "-y", "-o", "DPkg::Lock::Timeout=60", "patchparty"},
               dir_, 300s);
      if (r.code != 0) ADD_FAILURE() << "cleanup: apt-get purge failed:\n" << r.out << r.err;
    }
    if (user_was_absent_ && user_exists("patchparty")) {
      auto r = tool({"/usr/sbin/userdel", "patchparty"}, dir_);
      if (r.code != 0 || user_exists("patchparty"))
        ADD_FAILURE() << "cleanup: userdel patchparty failed: " << r.err;
    }
    // userdel removes the user's own group only under USERGROUPS_ENAB; sysusers makes one.
    if (group_was_absent_ && group_exists()) {
      auto r = tool({"/usr/sbin/groupdel", "patchparty"}, dir_);
      if (r.code != 0 || group_exists())
        ADD_FAILURE() << "cleanup: groupdel patchparty failed: " << r.err;
    }
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

 private:
  fs::path dir_;
  bool restored_ = false;
  bool installed_ = false;
  bool user_was_absent_ = false;
  bool group_was_absent_ = false;
};

std::string field(const fs::path& deb, const std::string& name, const fs::path& dir) {
  auto r = tool({"/usr/bin/dpkg-deb", "--field", deb.string(), name}, dir);
  EXPECT_EQ(r.code, 0) << r.err;
  return trimmed(r.out);
}

std::vector<fs::path> files_matching(const fs::path& dir, std::string_view prefix,
                                     std::string_view suffix) {
  std::vector<fs::path> found;
  for (const auto& e : fs::directory_iterator(dir)) {
    const auto name = e.path().filename().string();
    if (name.starts_with(prefix) && name.ends_with(suffix)) found.push_back(e.path());
  }
  return found;
}

// The installed configuration with only `listen` moved to a free port, so the daemon's start is
// proved on the shipped values without depending on 9877 being free on a test machine.
std::string with_listen_port(const std::string& config, int port) {
  std::istringstream in(config);
  std::string out, line;
  int replaced = 0;
  while (std::getline(in, line)) {
    if (line.starts_with("listen:")) {
      line = "listen: 127.0.0.1:" + std::to_string(port);
      ++replaced;
    }
    out += line + "\n";
  }
  EXPECT_EQ(replaced, 1) << "the shipped configuration should set listen once";
  return out;
}

TEST(DebPackage, BuildsInstallsRunsAndPurges) {
  ASSERT_EQ(::geteuid(), 0u) << "this test installs and purges the package with apt-get: run it "
                                "as root (CI does)";
  auto dir = testing::temp_dir("deb");
  fs::permissions(dir, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                           fs::perms::others_read | fs::perms::others_exec);
  MachineLock lock;
  ASSERT_TRUE(lock.acquire(600s)) << lock.why();

  const std::string status = package_status(dir);
  ASSERT_EQ(status, "not-installed")
      << "a patchparty package is already on this machine (dpkg status '" << status
      << "'); this test installs and purges its own and will not touch that one. Remove it "
         "first (apt-get purge patchparty) or run the test elsewhere.";
  for (const auto& p : kStatePaths)
    ASSERT_FALSE(fs::exists(fs::symlink_status(p)))
        << p << " exists already; purging the test's package would remove or leave it changed";

  MachineRestorer restorer(dir);
  restorer.record_before();

  // ---- build ------------------------------------------------------------------------------
  const fs::path out = dir / "out";
  fs::create_directories(out);
  // As shipped, except gzip for xz: xz takes minutes of CPU on the debug symbols package, and
  // the compressor changes nothing dpkg installs.
  auto cpack =
      tool({PP_CPACK, "-G", "DEB", "--config", std::string(PP_BUILD_DIR) + "/CPackConfig.cmake",
            "-B", out.string(), "-D", "CPACK_DEBIAN_COMPRESSION_TYPE=gzip"},
           dir, 900s);
  ASSERT_EQ(cpack.code, 0) << cpack.out << cpack.err;
  // CPack stages absolute destinations (/etc, /lib) under its own tree, never on this machine.
  ASSERT_FALSE(fs::exists("/etc/patchparty")) << "cpack installed into the real /etc";

  auto debs = files_matching(out, "patchparty_", ".deb");
  ASSERT_EQ(debs.size(), 1u) << cpack.out;
  const fs::path deb = debs.front();
  auto arch = tool({"/usr/bin/dpkg", "--print-architecture"}, dir);
  ASSERT_EQ(arch.code, 0);
  EXPECT_EQ(deb.filename().string(),
            std::string("patchparty_") + PP_VERSION + "_" + trimmed(arch.out) + ".deb");
  auto ddebs = files_matching(out, "patchparty-dbgsym_", ".ddeb");
  ASSERT_EQ(ddebs.size(), 1u) << "the debug symbols package is missing: " << cpack.out;
  auto symbols = tool({"/usr/bin/dpkg-deb", "--contents", ddebs.front().string()}, dir);
  EXPECT_THAT(symbols.out, ::testing::ContainsRegex("\\./usr/lib/debug/\\.build-id/../.*\\.debug"));

  // ---- metadata and contents ----------------------------------------------------------------
  EXPECT_EQ(field(deb, "Package", dir), "patchparty");
  EXPECT_EQ(field(deb, "Version", dir), PP_VERSION);
  EXPECT_EQ(field(deb, "Architecture", dir), trimmed(arch.out));
  EXPECT_EQ(field(deb, "Section", dir), "admin");
  EXPECT_THAT(field(deb, "Maintainer", dir), ::testing::MatchesRegex(".+ <.+@.+>"));
  EXPECT_THAT(field(deb, "Description", dir), HasSubstr("patch"));
  const std::string depends = field(deb, "Depends", dir);
  EXPECT_THAT(depends, HasSubstr("libc6"));
  EXPECT_THAT(depends, ::testing::ContainsRegex("(^|, )systemd(,|$)"));
  EXPECT_THAT(depends, HasSubstr("libsystemd0")) << "dpkg-shlibdeps should have run";
  auto conffiles = tool({"/usr/bin/dpkg-deb", "--info", deb.string(), "conffiles"}, dir);
  EXPECT_EQ(conffiles.code, 0) << conffiles.err;
  EXPECT_EQ(trimmed(conffiles.out), "/etc/patchparty/patchparty.yml");
  for (const char* script : {"postinst", "prerm", "postrm"}) {
    auto r = tool({"/usr/bin/dpkg-deb", "--info", deb.string(), script}, dir);
    EXPECT_EQ(r.code, 0) << script << " missing: " << r.err;
    EXPECT_THAT(r.out, HasSubstr("patchpartyd.service")) << script;
  }

  auto contents = tool({"/usr/bin/dpkg-deb", "--contents", deb.string()}, dir);
  ASSERT_EQ(contents.code, 0) << contents.err;
  std::map<std::string, std::string> listed;  // path -> "mode owner"
  {
    std::istringstream lines(contents.out);
    for (std::string line; std::getline(lines, line);) {
      std::istringstream cols(line);
      std::string mode, owner, size, date, time, path;
      cols >> mode >> owner >> size >> date >> time >> path;
      if (path.starts_with("./")) path.erase(0, 1);
      if (path.size() > 1 && path.back() == '/') path.pop_back();
      listed[path] = mode + " " + owner;
    }
  }
  for (const auto& f : kInstalledFiles) {
    ASSERT_TRUE(listed.count(f)) << f << " is not in the package:\n" << contents.out;
    EXPECT_THAT(listed[f], HasSubstr(" root/root")) << f;
    const bool executable = f.ends_with("/patchpartyd") || f.ends_with("/patchparty");
    EXPECT_EQ(listed[f].substr(0, 10), executable ? "-rwxr-xr-x" : "-rw-r--r--") << f;
  }

  const auto deb_bytes = fs::file_size(deb);
  const std::string installed_kib = field(deb, "Installed-Size", dir);
  std::cout << "package " << deb.filename().string() << ": " << deb_bytes << " bytes ("
            << static_cast<double>(deb_bytes) / (1024.0 * 1024.0) << " MiB), Installed-Size "
            << installed_kib << " KiB (gzip here; the shipped package uses xz)\n";
  RecordProperty("deb_bytes", std::to_string(deb_bytes));
  RecordProperty("installed_size_kib", installed_kib);

  // ---- install ------------------------------------------------------------------------------
  restorer.installing();
  auto install = tool({"/usr/bin/apt-get", "install", "-y", "--no-install-recommends", "-o",
                       "DPkg::Lock::Timeout=60", deb.string()},
                      dir, 600s);
  ASSERT_EQ(install.code, 0) << install.out << install.err;
  ASSERT_EQ(package_status(dir), "installed");
  for (const auto& f : kInstalledFiles) EXPECT_TRUE(fs::is_regular_file(f)) << f;

  for (const char* binary : {"/usr/sbin/patchpartyd", "/usr/bin/patchparty"}) {
    auto sections = tool({"/usr/bin/readelf", "--sections", "--wide", binary}, dir);
    EXPECT_EQ(sections.code, 0) << sections.err;
    EXPECT_THAT(sections.out, ::testing::Not(HasSubstr(".debug_info")))
        << binary << " not stripped";
    EXPECT_THAT(sections.out, HasSubstr(".gnu_debuglink")) << binary << " lost its debug link";
  }

  auto version = tool({"/usr/bin/patchparty", "--version"}, dir);
  EXPECT_EQ(version.code, 0) << version.err;
  EXPECT_THAT(version.out, HasSubstr("patchparty " PP_VERSION));
  auto dversion = tool({"/usr/sbin/patchpartyd", "--version"}, dir);
  EXPECT_EQ(dversion.code, 0) << dversion.err;
  EXPECT_THAT(dversion.out, HasSubstr("patchpartyd " PP_VERSION));
  auto check = tool({"/usr/bin/patchparty", "check-config", "/etc/patchparty/patchparty.yml"}, dir);
  EXPECT_EQ(check.code, 0) << check.out << check.err;

  const std::string shipped = testing::Subprocess::slurp("/etc/patchparty/patchparty.yml");
  EXPECT_EQ(shipped,
            testing::Subprocess::slurp(fs::path(PP_SOURCE_DIR) / "config/patchparty.example.yml"));

  const passwd* user = ::getpwnam("patchparty");
  ASSERT_NE(user, nullptr) << "postinst did not create the patchparty user";
  EXPECT_LT(user->pw_uid, 1000u) << "patchparty should be a system user";
  const uid_t uid = user->pw_uid;
  const gid_t gid = user->pw_gid;
  // dh_installsystemd's behaviour: enabled on install, started only where systemd runs.
  EXPECT_TRUE(fs::is_symlink(kWantsLink)) << "patchpartyd.service was not enabled";

  // The daemon starts on the shipped configuration, as the patchparty user.
  {
    const fs::path state = dir / "state";
    fs::create_directories(state);
    ASSERT_EQ(::chown(state.c_str(), uid, gid), 0);
    const int port = testing::free_port();
    std::ofstream(dir / "patchparty.yml") << with_listen_port(shipped, port);
    testing::Subprocess daemon({"/usr/bin/setpriv", "--reuid=patchparty", "--regid=patchparty",
                                "--clear-groups", "/usr/sbin/patchpartyd", "--config",
                                (dir / "patchparty.yml").string(), "--state-dir", state.string()},
                               {}, dir / "daemon.out", dir / "daemon.err");
    int healthz = 0;
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (daemon.running() && std::chrono::steady_clock::now() < deadline) {
      healthz = testing::http_get(port, "/healthz").status;
      if (healthz == 200) break;
      std::this_thread::sleep_for(100ms);
    }
    EXPECT_EQ(healthz, 200) << daemon.err();
    daemon.signal(SIGTERM);
    EXPECT_EQ(daemon.wait(30s), 0) << daemon.err();
    EXPECT_TRUE(fs::exists(state / "patchparty.db")) << daemon.err();
  }

  // ---- purge --------------------------------------------------------------------------------
  auto purge = tool(
      {"/usr/bin/apt-get", "purge", "-y", "-o", "DPkg::Lock::Timeout=60", "patchparty"}, dir, 300s);
  ASSERT_EQ(purge.code, 0) << purge.out << purge.err;
  EXPECT_EQ(package_status(dir), "not-installed");
  auto listing = tool({"/usr/bin/dpkg", "-L", "patchparty"}, dir);
  EXPECT_NE(listing.code, 0) << "dpkg still lists files:\n" << listing.out;
  for (const auto& f : kInstalledFiles) EXPECT_FALSE(fs::exists(f)) << f << " survived purge";
  for (const auto& p : kStatePaths)
    EXPECT_FALSE(fs::exists(fs::symlink_status(p))) << p << " survived purge";
  // Debian keeps system users on purge; the restorer removes the one this test caused.
  EXPECT_TRUE(user_exists("patchparty"));

  restorer.restore();
  if (restorer.user_was_absent()) {
    EXPECT_FALSE(user_exists("patchparty")) << "the test's cleanup left the patchparty user";
    EXPECT_FALSE(group_exists()) << "the test's cleanup left the patchparty group";
  }
}

}  // namespace
}  // namespace patchparty
