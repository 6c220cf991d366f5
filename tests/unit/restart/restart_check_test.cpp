#include "collectors/restart/restart_check.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>
#include <fstream>

#include "collectors/restart/kernel_check.h"
#include "collectors/restart/reboot_required.h"
#include "core/report/restart_json.h"
#include "core/store/restart_store.h"
#include "core/store/store.h"
#include "tests/support/test_data.h"

namespace patchparty::restart {
namespace {

namespace fs = std::filesystem;

StaleProcess process(int pid, std::string unit, std::vector<StaleFile> files) {
  return StaleProcess{pid, "p" + std::to_string(pid), std::move(unit), std::move(files)};
}

RestartReport sample() {
  RestartReport r = group_by_unit({
      process(30, "nginx.service", {{"/usr/lib/libssl.so.3", StaleReason::replaced}}),
      process(12, "nginx.service",
              {{"/usr/lib/libssl.so.3", StaleReason::replaced},
               {"/usr/lib/libz.so.1", StaleReason::deleted}}),
      process(7, "session-3.scope", {{"/usr/lib/libz.so.1", StaleReason::deleted}}),
      process(5, "", {{"/usr/bin/old", StaleReason::deleted}}),
      process(40, "cron.service", {{"/usr/lib/libc.so.6", StaleReason::replaced}}),
  });
  r.taken_at = 1764151200;
  r.reboot_required = true;
  r.reboot_packages = {"linux-image-6.1.0-27-amd64", "libc6"};
  r.processes_scanned = 120;
  r.permission_denied = 3;
  r.unit_source = "cgroup";
  r.running_kernel = "6.1.0-26-amd64";
  r.newest_kernel = "6.1.0-27-amd64";
  r.kernel_outdated = true;
  return r;
}

TEST(RestartCheck, GroupsServicesAndListsOtherProcessesApart) {
  const RestartReport r = sample();
  EXPECT_EQ(r.stale_processes, 5);
  ASSERT_EQ(r.units.size(), 2u);
  EXPECT_EQ(r.units[0].unit, "cron.service");
  EXPECT_EQ(r.units[1].unit, "nginx.service");
  EXPECT_EQ(r.units[1].pids, (std::vector<int>{12, 30}));
  EXPECT_EQ(r.units[1].libraries,
            (std::vector<std::string>{"/usr/lib/libssl.so.3", "/usr/lib/libz.so.1"}));
  ASSERT_EQ(r.processes.size(), 2u);
  EXPECT_EQ(r.processes[0].pid, 5);
  EXPECT_EQ(r.processes[1].unit, "session-3.scope");
}

TEST(RestartCheck, RebootFlagPresentAndAbsent) {
  const fs::path root = testing::temp_dir("root");
  EXPECT_FALSE(read_reboot_flag(root).required);
  fs::create_directories(root / "run");
  std::ofstream(root / "run/reboot-required") << "*** System restart required ***\n";
  RebootFlag flag = read_reboot_flag(root);
  EXPECT_TRUE(flag.required);
  EXPECT_TRUE(flag.packages.empty());
  std::ofstream(root / "run/reboot-required.pkgs") << "libc6\nlinux-image-6.1.0-27-amd64\nlibc6\n";
  flag = read_reboot_flag(root);
  EXPECT_EQ(flag.packages, (std::vector<std::string>{"libc6", "linux-image-6.1.0-27-amd64"}));
  fs::remove_all(root);
}

TEST(RestartCheck, JsonRoundTrip) {
  const RestartReport r = sample();
  auto back = restart_report_from_json(restart_report_json(r));
  ASSERT_OK(back);
  EXPECT_EQ(restart_report_json(*back), restart_report_json(r));
  EXPECT_EQ(back->processes[0].files[0].reason, StaleReason::deleted);
  EXPECT_EQ(back->units[0].libraries[0], "/usr/lib/libc.so.6");
  EXPECT_ERRC(restart_report_from_json("{\"schema\":\"other\"}"), Errc::data_loss);
}

// A report with the awkward cases: bytes that are not UTF-8, characters JSON escapes, an empty
// kernel and a process outside any unit.
RestartReport awkward() {
  RestartReport r;
  r.taken_at = 1764151080;
  r.reboot_required = true;
  r.reboot_packages = {"libc6",
                       "bad\xff"
                       "pkg"};
  r.units = {RestartUnit{"nginx.service", {812, 813}, {"/usr/lib/libssl.so.3"}}};
  r.processes = {StaleProcess{4411,
                              "ba\xc3"
                              "sh",
                              "",
                              {{"/usr/lib/libc.so.6 \"q\\", StaleReason::deleted}}},
                 StaleProcess{12, "nginx", "nginx.service", {{"/x", StaleReason::replaced}}}};
  r.stale_processes = 2;
  r.processes_scanned = 182;
  r.permission_denied = 3;
  r.truncated = true;
  r.unit_source = "cgroup";
  r.newest_kernel = "6.1";
  return r;
}

// The stored record, byte for byte: what earlier versions wrote, so old rows and new ones agree.
TEST(RestartCheck, JsonRecordBytes) {
  EXPECT_EQ(restart_report_json(awkward()),
            "{\"schema\":\"patchparty.restart/v1\",\"taken_at\":1764151080,\"reboot_required\":"
            "true,\"reboot_packages\":[\"libc6\",\"bad\xff"
            "pkg\"],\"running_kernel\":\"\","
            "\"newest_kernel\":\"6.1\",\"kernel_outdated\":false,\"units\":[{\"unit\":\"nginx."
            "service\",\"pids\":[812,813],\"libraries\":[\"/usr/lib/libssl.so.3\"]}],"
            "\"processes\":[{\"pid\":4411,\"comm\":\"ba\xc3"
            "sh\",\"unit\":\"\",\"files\":[{"
            "\"path\":\"/usr/lib/libc.so.6 \\\"q\\\\\",\"reason\":\"deleted\"}]},{\"pid\":12,"
            "\"comm\":\"nginx\",\"unit\":\"nginx.service\",\"files\":[{\"path\":\"/x\","
            "\"reason\":\"replaced\"}]}],\"stale_processes\":2,\"processes_scanned\":182,"
            "\"permission_denied\":3,\"truncated\":true,\"unit_source\":\"cgroup\"}");
  const std::string pretty = restart_report_json(RestartReport{}, true);
  EXPECT_TRUE(pretty.starts_with("{\n  \"schema\": \"patchparty.restart/v1\",\n  \"taken"));
  EXPECT_TRUE(pretty.ends_with("\n  \"unit_source\": \"\"\n}\n"));
  // Bytes that are not UTF-8 come back as they were.
  auto back = restart_report_from_json(restart_report_json(awkward()));
  ASSERT_OK(back);
  EXPECT_EQ(back->processes[0].comm,
            "ba\xc3"
            "sh");
  EXPECT_EQ(back->reboot_packages[1],
            "bad\xff"
            "pkg");
}

// The backlog's section comes from the same writer in its own form.
TEST(RestartCheck, JsonBacklogSection) {
  exporters::JsonOut j;
  write_restart_report(j, awkward(), RestartJsonForm::backlog_section);
  const std::string text = j.finish();
  rapidjson::Document d;
  d.Parse<rapidjson::kParseValidateEncodingFlag>(text.c_str());
  ASSERT_FALSE(d.HasParseError()) << text;
  EXPECT_EQ(d.MemberCount(), 11u);
  EXPECT_FALSE(d.HasMember("schema"));
  EXPECT_FALSE(d.HasMember("taken_at"));
  EXPECT_FALSE(d.HasMember("processes_scanned"));
  EXPECT_FALSE(d.HasMember("unit_source"));
  EXPECT_STREQ(d["checked_at"].GetString(), "2025-11-26T09:58:00Z");
  EXPECT_TRUE(d["reboot_required"].GetBool());
  EXPECT_STREQ(d["reboot_packages"][1].GetString(), "bad\xEF\xBF\xBDpkg");
  EXPECT_TRUE(d["running_kernel"].IsNull());
  EXPECT_STREQ(d["newest_kernel"].GetString(), "6.1");
  EXPECT_FALSE(d["kernel_outdated"].GetBool());
  EXPECT_EQ(d["units"][0]["pids"][1].GetInt(), 813);
  EXPECT_STREQ(d["units"][0]["libraries"][0].GetString(), "/usr/lib/libssl.so.3");
  const auto& p = d["processes"][0];
  EXPECT_EQ(p["pid"].GetInt(), 4411);
  EXPECT_STREQ(p["comm"].GetString(), "ba\xEF\xBF\xBDsh");
  EXPECT_TRUE(p["unit"].IsNull());
  EXPECT_STREQ(p["files"][0]["path"].GetString(), "/usr/lib/libc.so.6 \"q\\");
  EXPECT_STREQ(p["files"][0]["reason"].GetString(), "deleted");
  EXPECT_STREQ(d["processes"][1]["unit"].GetString(), "nginx.service");
  EXPECT_EQ(d["stale_processes"].GetInt(), 2);
  EXPECT_EQ(d["permission_denied"].GetInt(), 3);
  EXPECT_TRUE(d["truncated"].GetBool());
}

TEST(RestartCheck, StoreKeepsTheLatestReport) {
  const fs::path dir = testing::temp_dir("state");
  auto store = store::Store::open(dir);
  ASSERT_OK(store);
  auto none = load_restart_report(store->database());
  ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());
  RestartReport r = sample();
  ASSERT_OK(save_restart_report(store->database(), r));
  r.units.clear();
  r.taken_at += 300;
  ASSERT_OK(save_restart_report(store->database(), r));
  auto reader = store::Store::open_read_only(dir);
  ASSERT_OK(reader);
  auto latest = load_restart_report(reader->database());
  ASSERT_OK(latest);
  ASSERT_TRUE(latest->has_value());
  EXPECT_EQ((*latest)->taken_at, r.taken_at);
  EXPECT_TRUE((*latest)->units.empty());
  fs::remove_all(dir);
}

Package pkg(std::string name, std::string version, std::string origin = "dpkg") {
  Package p;
  p.ecosystem = "Debian:12";
  p.name = std::move(name);
  p.version = std::move(version);
  p.origin = std::move(origin);
  return p;
}

TEST(KernelCheck, NewestInstalledImageByPackageVersion) {
  const std::vector<Package> packages = {
      pkg("linux-image-amd64", "6.1.115-1"),  // the metapackage
      pkg("linux-image-6.1.0-26-amd64", "6.1.112-1"),
      pkg("linux-image-6.1.0-27-amd64", "6.1.115-1"),
      pkg("linux-image-6.1.0-27-amd64-dbg", "6.1.115-1"),
      pkg("linux-image-6.1.0-9-amd64", "6.1.27-1"),  // "9" > "27" as text, older as a version
      pkg("linux-image-7.0.0-1-amd64", "7.0.0-1", "rpm"),
      pkg("zlib1g", "1:1.2.13.dfsg-1"),
  };
  auto s = kernel_status("6.1.0-26-amd64", packages);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->newest, "6.1.0-27-amd64");
  EXPECT_TRUE(s->outdated);
  EXPECT_FALSE(kernel_status("6.1.0-27-amd64", packages)->outdated);
  EXPECT_FALSE(kernel_status("6.1.0-27-amd64", {}).has_value()) << "no kernel package: unknown";
  EXPECT_FALSE(running_kernel_release().empty());
}

TEST(RestartCheck, OptionsFromConfig) {
  config::RestartConfig c;
  c.bus = "none";
  c.max_processes = 10;
  EXPECT_FALSE(check_options(c).bus.has_value());
  EXPECT_EQ(check_options(c).scan.max_processes, 10u);
  c.bus = "user";
  EXPECT_EQ(check_options(c).bus, BusKind::user);
}

}  // namespace
}  // namespace patchparty::restart
