// Every writer's output for one realistic host, compared byte for byte with the files under
// tests/unit/backlog/golden/. After an intended change, rewrite them and review the diff:
//   PP_UPDATE_GOLDEN=1 ./backlog_golden_test
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "exporters/backlog/backlog_writers.h"
#include "exporters/backlog/scan_report.h"
#include "tests/support/golden.h"
#include "tests/unit/backlog/sample_findings.h"

namespace patchparty::exporters {
namespace {

std::filesystem::path golden_dir() {
  return std::filesystem::path(PP_SOURCE_DIR) / "tests/unit/backlog/golden";
}

void expect_golden(const std::string& name, const std::string& actual) {
  const std::filesystem::path file = golden_dir() / name;
  testing::expect_golden(file, actual);
}

Backlog sample_backlog() {
  BacklogOptions o;
  o.host = "web-1";
  o.now = testing::kNow;
  o.last_party = testing::kLastParty;
  o.next_party = testing::kNextParty;
  o.project_dirs = {{"shop", "/srv/shop"}, {"storefront", "/srv/storefront"}};
  o.wave = "canary";
  return build_backlog(testing::sample_findings(), config::SlaConfig{}, o);
}

// The backlog after a check that found two services and a login session on old libraries, with
// a reboot asked for.
Backlog backlog_with_restart() {
  Backlog b = sample_backlog();
  RestartReport r;
  r.taken_at = testing::kNow - 120;
  r.reboot_required = true;
  r.reboot_packages = {"linux-image-6.1.0-27-amd64", "libc6"};
  r.units = {RestartUnit{"nginx.service",
                         {812, 813},
                         {"/usr/lib/x86_64-linux-gnu/libssl.so.3",
                          "/usr/lib/x86_64-linux-gnu/libz.so.1.2.13"}},
             RestartUnit{"php8.2-fpm.service", {901}, {"/usr/lib/x86_64-linux-gnu/libc.so.6"}}};
  r.processes = {StaleProcess{4411,
                              "bash",
                              "session-3.scope",
                              {{"/usr/lib/x86_64-linux-gnu/libc.so.6", StaleReason::replaced}}}};
  r.stale_processes = 4;
  r.processes_scanned = 182;
  r.permission_denied = 0;
  r.unit_source = "sd-bus";
  r.running_kernel = "6.1.0-26-amd64";
  r.newest_kernel = "6.1.0-27-amd64";
  r.kernel_outdated = true;
  b.restart = r;
  return b;
}

ScanInfo sample_scan() {
  ScanInfo info;
  info.host = "web-1";
  info.scanned_at = testing::kNow;
  info.tool_version = "0.1.0";  // pinned, so a release does not rewrite the goldens
  info.project_roots = {{"shop", "/srv/shop"}, {"storefront", "/srv/storefront"}};
  return info;
}

TEST(BacklogGolden, Markdown) {
  expect_golden("backlog.md", backlog_markdown(sample_backlog()));
}
TEST(BacklogGolden, Csv) {
  expect_golden("backlog.csv", backlog_csv(sample_backlog()));
}
TEST(BacklogGolden, Json) {
  expect_golden("backlog.json", backlog_json(sample_backlog()));
}
TEST(BacklogGolden, Table) {
  expect_golden("backlog.txt", backlog_table(sample_backlog()));
}

TEST(BacklogGolden, MarkdownWithRestartNeeded) {
  expect_golden("backlog-restart.md", backlog_markdown(backlog_with_restart()));
}
TEST(BacklogGolden, JsonWithRestartNeeded) {
  expect_golden("backlog-restart.json", backlog_json(backlog_with_restart()));
}

TEST(BacklogGolden, FindingsJson) {
  expect_golden("findings.json", findings_json(testing::sample_findings(), sample_scan()));
}

TEST(BacklogGolden, FindingsSarif) {
  expect_golden("findings.sarif", findings_sarif(testing::sample_findings(), sample_scan()));
}

TEST(BacklogGolden, SinceLastPartyMarkdown) {
  BacklogOptions o;
  o.host = "web-1";
  o.now = testing::kNow;
  o.last_party = testing::kLastParty;
  o.next_party = testing::kNextParty;
  o.since_last_party = true;
  expect_golden("backlog-since-last-party.md",
                backlog_markdown(build_backlog(testing::sample_findings(), {}, o)));
}

}  // namespace
}  // namespace patchparty::exporters
