// A real systemd user manager (systemd 252) on a private D-Bus, for tests that need units and
// GetUnitByPID, following ../shared/notes/real-components.md: the manager runs in its own mount
// namespace (a private /run/systemd/system makes it believe systemd booted the machine) and in
// its own cgroup, which is removed afterwards. Needs root. Minimal on purpose: one bus, transient
// units via systemd-run.
#pragma once

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/subprocess.h"

namespace patchparty::testing {

class SystemdUserManager {
 public:
  // Skips (returns null) when not root or without systemd; `why` says which.
  static std::unique_ptr<SystemdUserManager> start(const std::filesystem::path& dir,
                                                   std::string& why) {
    if (::geteuid() != 0) {
      why = "needs root (mount namespace and cgroups)";
      return nullptr;
    }
    if (!std::filesystem::exists("/lib/systemd/systemd") ||
        !std::filesystem::exists("/sys/fs/cgroup/unified")) {
      why = "needs /lib/systemd/systemd and a hybrid cgroup tree";
      return nullptr;
    }
    auto m = std::unique_ptr<SystemdUserManager>(new SystemdUserManager(dir));
    if (!m->wait_for_socket(m->xdg_ / "bus")) {
      why = "dbus-daemon did not start";
      return nullptr;
    }
    m->manager_ = std::make_unique<Subprocess>(
        std::vector<std::string>{
            "/usr/bin/unshare", "-m", "--propagation", "private", "/bin/sh", "-c",
            // Fixed script; every path comes in as a quoted positional parameter.
            "set -e; mount --bind \"$1\" /run/systemd; for h in unified systemd; do "
            "mkdir -p /sys/fs/cgroup/$h/\"$2\"; echo $$ > /sys/fs/cgroup/$h/\"$2\"/cgroup.procs; "
            "done; export XDG_RUNTIME_DIR=\"$3\" DBUS_SESSION_BUS_ADDRESS=\"unix:path=$3/bus\"; "
            "exec /lib/systemd/systemd --user",
            "sh", (dir / "run").string(), m->cgroup_, m->xdg_.string()},
        std::map<std::string, std::string>{}, dir / "manager.out", dir / "manager.err");
    if (!m->wait_for_socket(m->xdg_ / "systemd/private")) {
      why = "systemd --user did not start: " + Subprocess::slurp(dir / "manager.err");
      return nullptr;
    }
    return m;
  }

  ~SystemdUserManager() {
    if (manager_) {
      manager_->signal(SIGTERM);  // stops its units
      if (!manager_->wait(std::chrono::seconds(10))) manager_.reset();
    }
    manager_.reset();
    bus_.reset();
    for (auto h : {"unified", "systemd"})
      remove_cgroup(std::filesystem::path("/sys/fs/cgroup") / h / cgroup_);
  }

  std::string bus_address() const { return "unix:path=" + (xdg_ / "bus").string(); }
  std::map<std::string, std::string> env() const {
    return {{"XDG_RUNTIME_DIR", xdg_.string()}, {"DBUS_SESSION_BUS_ADDRESS", bus_address()}};
  }
  const std::string& cgroup() const { return cgroup_; }

  // systemd-run --user --unit=UNIT argv...; output of the unit's process goes to `out`.
  int run_unit(const std::string& unit, const std::filesystem::path& out,
               std::vector<std::string> argv) {
    std::vector<std::string> cmd{"/usr/bin/systemd-run", "--user", "--unit=" + unit,
                                 "--property=StandardOutput=file:" + out.string()};
    cmd.insert(cmd.end(), argv.begin(), argv.end());
    Subprocess p(cmd, env(), dir_ / "systemd-run.out", dir_ / "systemd-run.err");
    return p.wait(std::chrono::seconds(30)).value_or(-1);
  }

 private:
  explicit SystemdUserManager(std::filesystem::path dir)
      : dir_(std::move(dir)),
        xdg_(dir_ / "xdg"),
        cgroup_("patchparty-test-" + std::to_string(::getpid())) {
    std::filesystem::create_directories(dir_ / "run/system");
    std::filesystem::create_directories(xdg_);
    bus_ = std::make_unique<Subprocess>(
        std::vector<std::string>{"/usr/bin/dbus-daemon", "--session",
                                 "--address=unix:path=" + (xdg_ / "bus").string(), "--nofork"},
        std::map<std::string, std::string>{}, dir_ / "dbus.out", dir_ / "dbus.err");
  }

  static bool wait_for_socket(const std::filesystem::path& p) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!std::filesystem::exists(p)) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
  }

  // Children first: a cgroup directory goes with rmdir once it has no processes or children.
  static void remove_cgroup(const std::filesystem::path& p) {
    std::error_code ec;
    if (!std::filesystem::is_directory(p, ec)) return;
    for (const auto& e : std::filesystem::directory_iterator(p, ec))
      if (e.is_directory(ec)) remove_cgroup(e.path());
    ::rmdir(p.c_str());
  }

  std::filesystem::path dir_, xdg_;
  std::string cgroup_;
  std::unique_ptr<Subprocess> bus_, manager_;
};

}  // namespace patchparty::testing
