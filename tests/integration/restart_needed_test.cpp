// Restart needed end to end: `patchparty restart-needed` on a proc tree and root of the test's
// own, and patchpartyd's restart job storing what `patchparty backlog` (another process) shows.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>

#include "tests/support/loopback.h"
#include "tests/support/scratch_files.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
namespace fs = std::filesystem;
using testing::write_file;

// A proc tree with one nginx worker in nginx.service mapping a library that is gone, and a
// shell in a session scope that is up to date.
void fake_proc(const fs::path& proc) {
  write_file(proc / "812/maps",
             "7f0000000000-7f0000001000 r-xp 00000000 fe:00 4242   "
             "/usr/lib/x86_64-linux-gnu/libpatchparty-gone.so.3 (deleted)\n");
  write_file(proc / "812/comm", "nginx\n");
  write_file(proc / "812/cgroup", "0::/system.slice/nginx.service\n");
  write_file(proc / "900/maps", "7f0000000000-7f0000001000 rw-p 00000000 00:00 0\n");
  write_file(proc / "900/cgroup", "0::/user.slice/user-1000.slice/session-3.scope\n");
}

TEST(RestartNeeded, CliReportsUnitsAndTheRebootFlag) {
  const fs::path dir = testing::temp_dir("cli");
  fake_proc(dir / "proc");
  auto clean =
      testing::run({PATCHPARTY_BIN, "restart-needed", "--proc-root", (dir / "proc").string(),
                    "--root", (dir / "root").string(), "--bus", "none"},
                   dir);
  EXPECT_EQ(clean.code, 1) << clean.err;  // nginx
  EXPECT_THAT(clean.out, HasSubstr("restart nginx.service (pid 812)"));
  EXPECT_THAT(clean.out, HasSubstr("/usr/lib/x86_64-linux-gnu/libpatchparty-gone.so.3"));
  EXPECT_THAT(clean.out, HasSubstr("units from cgroup"));

  write_file(dir / "root/run/reboot-required", "");
  write_file(dir / "root/run/reboot-required.pkgs", "libc6\n");
  auto r =
      testing::run({PATCHPARTY_BIN, "restart-needed", "--json", "--proc-root",
                    (dir / "proc").string(), "--root", (dir / "root").string(), "--bus", "none"},
                   dir);
  EXPECT_EQ(r.code, 1) << r.err;
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  ASSERT_FALSE(doc.HasParseError()) << r.out;
  EXPECT_STREQ(doc["schema"].GetString(), "patchparty.restart/v1");
  EXPECT_TRUE(doc["reboot_required"].GetBool());
  EXPECT_STREQ(doc["reboot_packages"][0].GetString(), "libc6");
  ASSERT_EQ(doc["units"].Size(), 1u);
  EXPECT_STREQ(doc["units"][0]["unit"].GetString(), "nginx.service");
  EXPECT_EQ(doc["processes_scanned"].GetInt(), 2);

  fs::remove_all(dir / "proc/812");
  fs::remove_all(dir / "root/run");
  auto none =
      testing::run({PATCHPARTY_BIN, "restart-needed", "--proc-root", (dir / "proc").string(),
                    "--root", (dir / "root").string(), "--bus", "none"},
                   dir);
  EXPECT_EQ(none.code, 0) << none.err;
  EXPECT_THAT(none.out, HasSubstr("nothing needs a restart"));
  fs::remove_all(dir);
}

TEST(RestartNeeded, DaemonStoresTheCheckAndTheBacklogShowsIt) {
  const fs::path dir = testing::temp_dir("daemon");
  fake_proc(dir / "proc");
  write_file(dir / "root/run/reboot-required", "");
  const int port = testing::free_port();
  write_file(dir / "pp.yml",
             "log_level: debug\nhost_name: web-1\nshutdown_timeout: 2s\nlisten: 127.0.0.1:" +
                 std::to_string(port) +
                 "\n"
                 "inventory:\n  dpkg: {enabled: false}\n  rpm: {enabled: false}\n"
                 "  apk: {enabled: false}\nfeeds: []\nparty:\n  time_zone: UTC\n"
                 "restart:\n  interval: 10s\n  proc_root: " +
                 (dir / "proc").string() + "\n  root: " + (dir / "root").string() +
                 "\n  bus: none\n");
  testing::Subprocess d(
      {PATCHPARTYD_BIN, "-c", (dir / "pp.yml").string(), "--state-dir", (dir / "state").string()},
      {}, dir / "daemon.out", dir / "daemon.err");
  ASSERT_GT(d.pid(), 0);
  auto backlog = [&](std::string format) {
    return testing::run({PATCHPARTY_BIN, "backlog", "-c", (dir / "pp.yml").string(), "--state-dir",
                         (dir / "state").string(), "--format", format},
                        dir);
  };
  const auto deadline = std::chrono::steady_clock::now() + 15s;
  testing::RunResult md;
  while (std::chrono::steady_clock::now() < deadline && d.running()) {
    md = backlog("md");
    if (md.out.find("## Restart needed") != std::string::npos) break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_THAT(md.out, HasSubstr("## Restart needed")) << d.err();
  EXPECT_THAT(md.out, HasSubstr("**Reboot required**"));
  EXPECT_THAT(md.out, HasSubstr("- [ ] Restart `nginx.service` (pid 812)"));
  EXPECT_THAT(md.out, HasSubstr("`/usr/lib/x86_64-linux-gnu/libpatchparty-gone.so.3`"));
  auto json = backlog("json");
  rapidjson::Document doc;
  doc.Parse(json.out.c_str());
  ASSERT_FALSE(doc.HasParseError()) << json.out;
  ASSERT_TRUE(doc["restart"].IsObject());
  EXPECT_TRUE(doc["restart"]["reboot_required"].GetBool());
  EXPECT_STREQ(doc["restart"]["units"][0]["unit"].GetString(), "nginx.service");
  EXPECT_THAT(d.err(), HasSubstr("restart: 1 units and 1 processes need a restart"));
  // The API's backlog is the same as the CLI's.
  auto api = testing::http_get(port, "/api/v1/backlog?format=md");
  EXPECT_EQ(api.status, 200);
  EXPECT_THAT(api.body, HasSubstr("- [ ] Restart `nginx.service` (pid 812)"));
  d.signal(SIGTERM);
  EXPECT_EQ(d.wait(5s), 0) << d.err();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace patchparty
