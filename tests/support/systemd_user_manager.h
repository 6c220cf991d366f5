// A real systemd user manager (systemd --user) on a private D-Bus, for tests of anything that
// talks to systemd: health checks, rollback units, restart-needed lookups. It runs as root in
// its own mount namespace (with a private /run/systemd, so it believes the host booted with
// systemd) and its own cgroup, following ../shared/notes/real-components.md.
//
//   auto sd = SystemdUserManager::start(dir);     // nullptr: see `why`
//   sd->run({"systemd-run", "--user", "--unit=x.service", "/bin/sleep", "60"});
//   // sd_bus_open_user() in this process talks to it: start() sets the environment.
//
// The destructor stops the manager, kills whatever is left in its cgroup (units included),
// removes the cgroups and the bus, even when the test failed half-way.
#pragma once

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/loopback.h"
#include "tests/support/subprocess.h"

namespace patchparty::testing {

class SystemdUserManager {
 public:
  // `dir`: an empty directory for the runtime dir, bus socket and logs. Sets
  // XDG_RUNTIME_DIR and DBUS_SESSION_BUS_ADDRESS in this process, so sd_bus_open_user() and
  // the `run()` helper reach the private manager.
  static std::unique_ptr<SystemdUserManager> start(const std::filesystem::path& dir,
                                                   std::string& why) {
    std::unique_ptr<SystemdUserManager> m(new SystemdUserManager(dir));
    if (!m->launch(why)) return nullptr;
    return m;
  }

  SystemdUserManager(const SystemdUserManager&) = delete;
  SystemdUserManager& operator=(const SystemdUserManager&) = delete;

  ~SystemdUserManager() {
    if (manager_ && manager_->running()) {
      manager_->signal(SIGTERM);  // stops its units, then exits
      if (!manager_->wait(std::chrono::seconds(10))) manager_->signal(SIGKILL);
      manager_->wait(std::chrono::seconds(5));
    }
    // Whatever survived (a unit's stray process, a manager killed mid-way) dies with the cgroup.
    kill_cgroup();
    if (bus_) {
      bus_->signal(SIGTERM);
      bus_->wait(std::chrono::seconds(5));
    }
    remove_cgroups();
    std::error_code ec;
    std::filesystem::remove_all(runtime_dir_, ec);
  }

  const std::filesystem::path& runtime_dir() const { return runtime_dir_; }
  std::filesystem::path unit_dir() const { return runtime_dir_ / "systemd" / "user"; }
  std::string bus_address() const { return "unix:path=" + (runtime_dir_ / "bus").string(); }
  // Environment for tools run against this manager (systemctl --user, systemd-run --user).
  std::map<std::string, std::string> env() const {
    return {{"XDG_RUNTIME_DIR", runtime_dir_.string()},
            {"DBUS_SESSION_BUS_ADDRESS", bus_address()}};
  }

  // No journald beside the test's manager: its own messages (why a unit failed) go to
  // systemd.err, where a failing test can show them.
  std::map<std::string, std::string> manager_env() const {
    auto e = env();
    e["SYSTEMD_LOG_TARGET"] = "console";
    return e;
  }

  // Runs a tool (systemctl, systemd-run, busctl: looked up on PATH) against the manager.
  RunResult run(std::vector<std::string> argv,
                std::chrono::milliseconds timeout = std::chrono::seconds(30)) const {
    if (!argv.empty() && argv[0].find('/') == std::string::npos) {
      const std::string found = find_on_path(argv[0]);
      if (!found.empty()) argv[0] = found;
    }
    return testing::run(std::move(argv), dir_, std::nullopt, env(), timeout);
  }

  // systemd-run --user --unit=UNIT argv...: a transient service whose output goes to `out`.
  // Returns systemd-run's exit code.
  int run_unit(const std::string& unit, const std::filesystem::path& out,
               std::vector<std::string> argv) const {
    std::vector<std::string> cmd{"systemd-run", "--user", "--unit=" + unit,
                                 "--property=StandardOutput=file:" + out.string()};
    cmd.insert(cmd.end(), argv.begin(), argv.end());
    return run(std::move(cmd)).code;
  }

  // Polls `systemctl --user show -p Property --value unit` until it equals `want`.
  bool wait_property(const std::string& unit, const std::string& property, const std::string& want,
                     std::chrono::milliseconds timeout = std::chrono::seconds(20)) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto r = run({"systemctl", "--user", "show", "-p", property, "--value", unit});
      std::string v = r.out;
      while (!v.empty() && (v.back() == '\n' || v.back() == ' ')) v.pop_back();
      if (r.code == 0 && v == want) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

 private:
  explicit SystemdUserManager(std::filesystem::path dir)
      : dir_(std::move(dir)),
        runtime_dir_(dir_ / "xdg"),
        cgroup_("patchparty-test-" + std::to_string(::getpid()) + "-" +
                std::to_string(counter()++)) {}

  static std::atomic<int>& counter() {
    static std::atomic<int> n{0};
    return n;
  }

  bool launch(std::string& why) {
    namespace fs = std::filesystem;
    if (::geteuid() != 0) {
      why = "needs root (a private mount namespace and cgroup)";
      return false;
    }
    const std::string systemd = "/lib/systemd/systemd";
    const std::string dbus = find_on_path("dbus-daemon");
    const std::string unshare = find_on_path("unshare");
    if (!fs::exists(systemd) || dbus.empty() || unshare.empty()) {
      why = "needs /lib/systemd/systemd, dbus-daemon and unshare: apt-get install systemd dbus";
      return false;
    }
    // The manager's sockets live under the runtime dir, and a unix socket path has 108 bytes.
    if ((runtime_dir_ / "systemd" / "private").string().size() >= 108) {
      why = "the runtime dir " + runtime_dir_.string() + " is too long for unix socket paths";
      return false;
    }
    fs::create_directories(dir_ / "run" / "system");
    fs::create_directories(unit_dir());
    fs::permissions(runtime_dir_, fs::perms::owner_all, fs::perm_options::replace);
    // The bus first: the manager registers org.freedesktop.systemd1 on it as it starts.
    bus_ = std::make_unique<Subprocess>(
        std::vector<std::string>{dbus, "--session", "--nofork", "--nopidfile",
                                 "--address=" + bus_address()},
        std::map<std::string, std::string>{}, dir_ / "dbus.out", dir_ / "dbus.err");
    if (!wait_for([&] { return fs::exists(runtime_dir_ / "bus"); }, std::chrono::seconds(10))) {
      why = "dbus-daemon did not start: " + bus_->err();
      return false;
    }
    // Inside the namespace: a private /run/systemd (so the manager believes the host booted
    // with systemd) and our own cgroup in both hierarchies (so it does not take the root one
    // and move every process of the machine into init.scope). Paths are ours, not data.
    const std::string script =
        "set -e; mount --bind \"$1\" /run/systemd; "
        "if [ -d /sys/fs/cgroup/unified ]; then hs='unified systemd'; else hs=.; fi; "
        "for h in $hs; do d=/sys/fs/cgroup/$h/$2; "
        "if [ -d /sys/fs/cgroup/$h ]; then mkdir -p $d; echo $$ > $d/cgroup.procs; fi; done; "
        "exec /lib/systemd/systemd --user --log-target=console";
    manager_ = std::make_unique<Subprocess>(
        std::vector<std::string>{unshare, "-m", "--propagation", "private", "/bin/sh", "-c", script,
                                 "sh", (dir_ / "run").string(), cgroup_},
        manager_env(), dir_ / "systemd.out", dir_ / "systemd.err");
    ::setenv("XDG_RUNTIME_DIR", runtime_dir_.c_str(), 1);
    ::setenv("DBUS_SESSION_BUS_ADDRESS", bus_address().c_str(), 1);
    // Ready when the manager owns its name on the bus (seconds on a loaded machine).
    bool ready = wait_for(
        [&] {
          if (!manager_->running()) return true;
          auto r = run({"busctl", "--user", "status", "org.freedesktop.systemd1"},
                       std::chrono::seconds(5));
          return r.code == 0;
        },
        std::chrono::seconds(60));
    if (!ready || !manager_->running()) {
      why = "systemd --user did not come up: " + manager_->err();
      // unshare cannot make the namespace's mounts private when / is no mount point (a chroot).
      if (why.find("propagation") != std::string::npos)
        why +=
            " (the root is not a mount point here, as in a chroot: a private mount namespace "
            "needs a real root, as on a host, a VM or a container)";
      return false;
    }
    return true;
  }

  template <class F>
  static bool wait_for(F done, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (done()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  void kill_cgroup() const {
    namespace fs = std::filesystem;
    const fs::path v2 = fs::path("/sys/fs/cgroup/unified") / cgroup_;
    const fs::path unified = fs::exists(v2) ? v2 : fs::path("/sys/fs/cgroup") / cgroup_;
    if (fs::exists(unified / "cgroup.kill")) {
      std::ofstream(unified / "cgroup.kill") << "1";
    } else {
      // No cgroup.kill (kernel < 5.14): kill each listed process, sub-cgroups included.
      std::error_code ec;
      for (auto it = fs::recursive_directory_iterator(unified, ec);
           !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it->path().filename() != "cgroup.procs") continue;
        std::ifstream in(it->path());
        for (pid_t pid; in >> pid;) ::kill(pid, SIGKILL);
      }
    }
  }

  // Deepest first: a cgroup can only be removed once its children are gone and it is empty.
  void remove_cgroups() const {
    namespace fs = std::filesystem;
    const bool hybrid = fs::exists("/sys/fs/cgroup/unified");
    for (const char* h : {"unified", "systemd", "."}) {
      if (hybrid == (std::string_view(h) == ".")) continue;
      const fs::path root = fs::path("/sys/fs/cgroup") / h / cgroup_;
      for (int attempt = 0; attempt < 100 && fs::exists(root); ++attempt) {
        std::vector<fs::path> dirs;
        std::error_code ec;
        for (auto it = fs::recursive_directory_iterator(root, ec);
             !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
          if (it->is_directory(ec)) dirs.push_back(it->path());
        }
        std::sort(dirs.begin(), dirs.end(), [](const fs::path& a, const fs::path& b) {
          return a.string().size() > b.string().size();
        });
        for (const auto& d : dirs) ::rmdir(d.c_str());
        if (::rmdir(root.c_str()) == 0) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));  // killed processes exiting
      }
    }
  }

  std::filesystem::path dir_, runtime_dir_;
  std::string cgroup_;
  std::unique_ptr<Subprocess> bus_, manager_;
};

}  // namespace patchparty::testing
