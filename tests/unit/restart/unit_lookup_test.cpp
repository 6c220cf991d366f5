#include "collectors/restart/unit_lookup.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "collectors/restart/restart_check.h"
#include "tests/support/systemd_user_manager.h"
#include "tests/support/test_data.h"

namespace patchparty::restart {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

TEST(UnitLookup, UnitFromCgroupPath) {
  EXPECT_EQ(unit_from_cgroup_path("/system.slice/nginx.service"), "nginx.service");
  EXPECT_EQ(unit_from_cgroup_path("/user.slice/user-1000.slice/user@1000.service/app.slice/"
                                  "x.service"),
            "x.service");
  EXPECT_EQ(unit_from_cgroup_path("/user.slice/user-1000.slice/session-3.scope"),
            "session-3.scope");
  EXPECT_EQ(unit_from_cgroup_path("/system.slice/docker-ab12.scope/init.scope"), "init.scope");
  EXPECT_EQ(unit_from_cgroup_path("/"), "");
  EXPECT_EQ(unit_from_cgroup_path("/system.slice"), "");
  EXPECT_EQ(unit_from_cgroup_path("/.service"), "");
}

TEST(UnitLookup, UnitFromCgroupFilePrefersTheUnifiedLine) {
  EXPECT_EQ(unit_from_cgroup_file("12:memory:/x\n1:name=systemd:/system.slice/a.service\n"
                                  "0::/system.slice/b.service\n"),
            "b.service");
  EXPECT_EQ(unit_from_cgroup_file("1:name=systemd:/system.slice/a.service\n"), "a.service");
  EXPECT_EQ(unit_from_cgroup_file("4:memory:/process_api/x\n0::/\n"), "");
}

TEST(UnitLookup, NoBusFallsBackToCgroups) {
  const fs::path proc = testing::temp_dir("proc");
  fs::create_directories(proc / "42");
  std::ofstream(proc / "42/cgroup") << "0::/system.slice/cron.service\n";
  auto lookup = UnitLookup::open_address("unix:path=" + (proc / "no-bus").string(), proc);
  EXPECT_EQ(lookup.source(), "cgroup");
  EXPECT_EQ(lookup.unit_of(42), "cron.service");
  EXPECT_EQ(lookup.unit_of(43), "");  // gone
  fs::remove_all(proc);
}

// The real manager: a transient service that has loaded a library, which is then replaced, is
// reported under its unit, over sd-bus and by the cgroup fallback alike.
TEST(UnitLookup, RealUserManagerMapsAStaleProcessToItsService) {
  const fs::path dir = testing::temp_dir("um");
  std::string why;
  auto manager = testing::SystemdUserManager::start(dir, why);
  ASSERT_TRUE(manager) << why;

  const fs::path lib = dir / "libppunit.so.1";
  fs::copy_file("/lib/x86_64-linux-gnu/libz.so.1", lib);
  const std::string unit = "pp-restart-test.service";
  ASSERT_EQ(manager->run_unit(unit, dir / "unit.out",
                              {"/usr/bin/python3", "-c",
                               "import ctypes, os, sys, time\n"
                               "ctypes.CDLL(sys.argv[1])\n"
                               "print(os.getpid(), flush=True)\n"
                               "time.sleep(120)\n",
                               lib.string()}),
            0)
      << testing::Subprocess::slurp(dir / "systemd-run.err");
  int pid = 0;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (pid == 0) {
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "the unit did not start";
    const std::string out = testing::Subprocess::slurp(dir / "unit.out");
    if (out.find('\n') != std::string::npos) pid = std::stoi(out);
    std::this_thread::sleep_for(10ms);
  }

  // The manager is on the bus a little after its private socket appears.
  const auto started = std::chrono::steady_clock::now();
  for (;;) {
    auto lookup = UnitLookup::open_address(manager->bus_address(), "/proc");
    if (lookup.source() == "sd-bus") break;
    ASSERT_LT(std::chrono::steady_clock::now(), started + 20s) << "no systemd1 on the bus";
    std::this_thread::sleep_for(20ms);
  }

  fs::copy_file("/lib/x86_64-linux-gnu/libz.so.1", dir / "new");
  ASSERT_EQ(::rename((dir / "new").c_str(), lib.c_str()), 0);

  CheckOptions o;
  o.bus_address = manager->bus_address();
  o.root = dir;                     // no run/reboot-required there
  o.scan.ignored_prefixes.clear();  // the test's files live under /tmp
  for (auto p : kDefaultIgnoredPrefixes)
    if (p != "/tmp/") o.scan.ignored_prefixes.emplace_back(p);
  const RestartReport report = check_restart_needed(o, 1);
  EXPECT_EQ(report.unit_source, "sd-bus");
  EXPECT_FALSE(report.reboot_required);
  const auto it = std::find_if(report.units.begin(), report.units.end(),
                               [&](const RestartUnit& u) { return u.unit == unit; });
  ASSERT_NE(it, report.units.end()) << "units: " << report.units.size();
  EXPECT_EQ(it->pids, std::vector<int>{pid});
  EXPECT_EQ(it->libraries, std::vector<std::string>{lib.string()});

  auto by_cgroup = UnitLookup::cgroup_only("/proc");
  EXPECT_EQ(by_cgroup.unit_of(pid), unit);
  manager.reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace patchparty::restart
