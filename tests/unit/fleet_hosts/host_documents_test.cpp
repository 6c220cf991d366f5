// The fleet reads back exactly what a host's backlog writer wrote: the two sides of
// patchparty.backlog/v1 are checked against each other on the sample host's findings.
#include "collectors/fleet_hosts/host_documents.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/report/report_format.h"
#include "exporters/backlog/backlog.h"
#include "exporters/backlog/backlog_writers.h"
#include "exporters/backlog/scan_report.h"
#include "exporters/backlog/upgrade_command.h"
#include "tests/support/scratch_files.h"
#include "tests/support/test_data.h"
#include "tests/unit/backlog/sample_findings.h"

namespace patchparty::fleet {
namespace {

exporters::Backlog sample_backlog() {
  exporters::BacklogOptions o;
  o.host = "web-1";
  o.now = testing::kNow;
  o.wave = "canary";
  o.project_dirs = {{"shop", "/srv/shop"}};
  RestartReport restart;
  restart.taken_at = testing::kNow;
  restart.reboot_required = true;
  restart.units = {{"nginx.service", {42}, {"/usr/lib/x86_64-linux-gnu/libssl.so.3"}}};
  auto b = exporters::build_backlog(testing::sample_findings(), config::SlaConfig{}, o);
  b.restart = restart;
  return b;
}

TEST(HostBacklogJson, ReadsBackEveryTaskAsTheHostWroteIt) {
  const exporters::Backlog written = sample_backlog();
  ASSERT_GE(written.tasks.size(), 3u);
  auto read = parse_host_backlog(exporters::backlog_json(written));
  ASSERT_OK(read);
  EXPECT_EQ(read->host, "web-1");
  EXPECT_EQ(read->wave, "canary");
  EXPECT_EQ(read->generated_at, written.generated_at);
  EXPECT_EQ(read->watch, static_cast<std::int64_t>(written.watch.size()));
  EXPECT_EQ(read->suppressed, static_cast<std::int64_t>(written.suppressed.size()));
  ASSERT_EQ(read->tasks.size(), written.tasks.size());
  for (std::size_t i = 0; i < written.tasks.size(); ++i) {
    const exporters::BacklogTask& w = written.tasks[i];
    const HostTask& r = read->tasks[i];
    SCOPED_TRACE(w.package);
    EXPECT_EQ(r.package, w.package);
    EXPECT_EQ(r.project, w.project);
    EXPECT_EQ(r.ecosystem, w.ecosystem);
    EXPECT_EQ(r.target_version, w.target_version);
    EXPECT_EQ(r.supplier, w.supplier);
    EXPECT_EQ(r.origin, exporters::facts_origin(w));
    EXPECT_EQ(r.binaries, w.binaries);
    EXPECT_EQ(r.installed, w.installed);
    EXPECT_EQ(r.priority, exporters::priority_name(w.priority));
    EXPECT_EQ(r.max_severity, w.max_severity);
    EXPECT_NEAR(r.max_risk, w.max_risk, 0.005);
    EXPECT_EQ(r.kev, w.kev);
    EXPECT_EQ(r.overdue, w.overdue);
    EXPECT_EQ(r.due, w.due);
    EXPECT_EQ(r.first_seen, w.first_seen);
    ASSERT_EQ(r.command.has_value(), w.command.has_value());
    if (w.command) {
      EXPECT_EQ(r.command->argv, w.command->argv);
      EXPECT_EQ(r.command->directory, w.command->directory);
      EXPECT_EQ(r.command->shell, exporters::shell_command(*w.command));
    }
    ASSERT_EQ(r.vulnerabilities.size(), w.vulnerabilities.size());
    for (std::size_t v = 0; v < w.vulnerabilities.size(); ++v) {
      EXPECT_EQ(r.vulnerabilities[v].id, w.vulnerabilities[v].id);
      EXPECT_EQ(r.vulnerabilities[v].aliases, w.vulnerabilities[v].aliases);
      EXPECT_EQ(r.vulnerabilities[v].kev, w.vulnerabilities[v].kev);
    }
  }
  ASSERT_TRUE(read->restart);
  EXPECT_TRUE(read->restart->reboot_required);
  EXPECT_EQ(read->restart->units, std::vector<std::string>{"nginx.service"});
}

TEST(HostBacklogJson, RefusesAnotherSchemaByNameAndABrokenDocumentByPath) {
  auto other = parse_host_backlog(R"({"schema": "patchparty.backlog/v2", "tasks": []})");
  EXPECT_ERRC(other, Errc::failed_precondition);
  EXPECT_THAT(other.error().message, ::testing::HasSubstr("patchparty.backlog/v2"));
  EXPECT_ERRC(parse_host_backlog("{\"schema\": \"patchparty.backlog/v1\", \"tas"), Errc::data_loss);
  std::string json = exporters::backlog_json(sample_backlog());
  const auto at = json.find("\"package\": \"");
  ASSERT_NE(at, std::string::npos);
  json.replace(at, 9, "\"pkg\"");
  auto broken = parse_host_backlog(json);
  EXPECT_ERRC(broken, Errc::data_loss);
  EXPECT_THAT(broken.error().message, ::testing::HasSubstr("tasks[0].package"));
}

TEST(HostBacklogJson, TheFuzzSeedIsAHostBacklog) {
  // The seed the fuzzer mutates must reach past the schema check to be worth its bytes.
  auto seed = parse_host_backlog(testing::file_bytes(
      std::filesystem::path(PP_SOURCE_DIR) / "tests/fuzz/fleet_hosts/host_backlog_seed.json"));
  ASSERT_OK(seed);
  ASSERT_EQ(seed->tasks.size(), 1u);
  EXPECT_EQ(seed->tasks[0].binaries, (std::vector<std::string>{"libwebp7", "libwebpdemux2"}));
  ASSERT_TRUE(seed->restart);
  EXPECT_EQ(seed->restart->units, std::vector<std::string>{"nginx.service"});
}

TEST(HostFindingsJson, ReadsTheScanReportOfTheHost) {
  auto findings = testing::sample_findings();
  exporters::ScanInfo info;
  info.host = "web-1";
  info.scanned_at = testing::kNow;
  auto read = parse_host_findings(exporters::findings_json(findings, info));
  ASSERT_OK(read);
  EXPECT_EQ(read->host, "web-1");
  EXPECT_EQ(read->scanned_at, testing::kNow);
  EXPECT_EQ(read->version, PP_VERSION);
  ASSERT_EQ(read->findings.size(), findings.size());
  std::size_t kev = 0;
  for (const auto& f : read->findings) kev += f.kev;
  EXPECT_EQ(kev, 2u);  // libwebp7 and libwebpdemux2: CVE-2023-4863
}

TEST(HostFeedsJson, ReadsEachFeedsLastSuccess) {
  auto feeds = parse_host_feeds(R"({"schema": "patchparty.feeds/v1", "feeds": [
      {"feed": "osv", "last_success_at": 1795687200}, {"feed": "kev", "last_success_at": 0}]})");
  ASSERT_OK(feeds);
  ASSERT_EQ(feeds->size(), 2u);
  EXPECT_EQ((*feeds)[0].feed, "osv");
  EXPECT_EQ((*feeds)[0].last_success_at, 1795687200);
  EXPECT_ERRC(parse_host_feeds(R"({"schema": "patchparty.feeds/v1", "feeds": [{"feed": 1}]})"),
              Errc::data_loss);
}

}  // namespace
}  // namespace patchparty::fleet
