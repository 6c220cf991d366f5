// ApiState against a real SQLite store on disk: what the worker publishes is what requests see,
// time-dependent parts follow the request's own `now`, readiness follows the first scan, and a
// snapshot outlives its replacement while a request still renders from it.
#include "daemon/lifecycle/api_state.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <thread>

#include "core/events/event_inbox.h"
#include "core/store/advisory_tables.h"
#include "core/store/finding_tables.h"
#include "daemon/lifecycle/feeds_report.h"
#include "daemon/lifecycle/party_job.h"
#include "exporters/backlog/backlog_writers.h"
#include "tests/support/test_data.h"

namespace patchparty::lifecycle {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

constexpr std::int64_t kNov26 = 1795687200;  // 2026-11-26T10:00:00Z
constexpr std::int64_t kDay = 24 * 3600;

Finding openssl_finding() {
  Finding f;
  f.host = "web-1";
  f.package.ecosystem = "Debian:12";
  f.package.name = "openssl";
  f.package.source_name = "openssl";
  f.package.version = "3.0.11-1~deb12u2";
  f.package.origin = "dpkg";
  f.vulnerability = "CVE-2024-5535";
  f.advisories = {"DEBIAN-CVE-2024-5535"};
  f.feeds = {"debian-tracker"};
  f.fixed_version = "3.0.14-1~deb12u1";
  f.severity = SeverityLevel::critical;
  f.cvss = 9.1;
  return f;
}

class ApiStateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::temp_dir("api-state");
    config_ = config::default_config();
    config_.state_dir = dir_;
    config_.host_name = "web-1";
    config_.party.time_zone = "UTC";
    auto s = store::Store::open(dir_);
    ASSERT_OK(s);
    store_.emplace(std::move(*s));
    std::vector<Finding> findings = {openssl_finding()};
    // First seen 10 days before Nov 26: a critical finding's 7-day SLA has run out by then.
    ASSERT_OK(store::record_scan(store_->database(), "web-1", findings, kNov26 - 10 * kDay, 1, 0));
    ASSERT_OK(store::record_feed_failure(store_->database(), "debian-tracker", "debian-tracker",
                                         "not reachable", kNov26 - kDay, 0.1));
    // Suppressed until Nov 20.
    suppress::Rule rule;
    rule.id = "CVE-2024-5535";
    rule.reason = "waiting for the point release";
    rule.expires = kNov26 - 6 * kDay;
    rule.where = "suppressions.yml:1";
    suppressions_.add_rules({rule});
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  fs::path dir_;
  config::Config config_;
  suppress::Suppressions suppressions_;
  std::optional<store::Store> store_;
  ApiState api_;
};

TEST_F(ApiStateTest, NothingBeforeTheFirstPublish) {
  EXPECT_ERRC(api_.findings(kNov26), Errc::failed_precondition);
  EXPECT_ERRC(api_.backlog(kNov26, false), Errc::failed_precondition);
  EXPECT_ERRC(api_.feeds_json(), Errc::failed_precondition);
  EXPECT_FALSE(api_.alive());         // no worker connected yet
  EXPECT_FALSE(api_.request_scan());  // nobody to ask
}

TEST_F(ApiStateTest, FindingsAreRankedAndSuppressedAsOfTheRequest) {
  ASSERT_OK(api_.publish(*store_, config_, suppressions_));
  auto before = api_.findings(kNov26 - 8 * kDay);
  ASSERT_OK(before);
  ASSERT_EQ(before->findings.size(), 1u);
  EXPECT_TRUE(before->findings[0].suppressed());
  EXPECT_GT(before->findings[0].risk, 0);
  EXPECT_EQ(before->info.host, "web-1");

  auto after = api_.findings(kNov26);
  ASSERT_OK(after);
  ASSERT_EQ(after->findings.size(), 1u);
  EXPECT_FALSE(after->findings[0].suppressed());
  ASSERT_TRUE(after->findings[0].suppression.has_value());
  EXPECT_TRUE(after->findings[0].suppression->expired);
}

TEST_F(ApiStateTest, BacklogIsTheCommandsBacklogAtTheRequestsTime) {
  ASSERT_OK(api_.publish(*store_, config_, suppressions_));
  auto b = api_.backlog(kNov26, false);
  ASSERT_OK(b);
  ASSERT_EQ(b->tasks.size(), 1u);
  EXPECT_TRUE(b->tasks[0].overdue);
  EXPECT_EQ(b->generated_at, kNov26);
  auto direct = current_backlog(*store_, config_, suppressions_, kNov26, false);
  ASSERT_OK(direct);
  EXPECT_EQ(exporters::render_backlog(*b, exporters::BacklogFormat::json),
            exporters::render_backlog(*direct, exporters::BacklogFormat::json));

  // Three days after first sight, the same snapshot: suppressed, so no task, not overdue.
  auto early = api_.backlog(kNov26 - 7 * kDay, false);
  ASSERT_OK(early);
  EXPECT_TRUE(early->tasks.empty());
  EXPECT_EQ(early->suppressed.size(), 1u);
}

TEST_F(ApiStateTest, FeedsAsTheCommandPrintsThem) {
  ASSERT_OK(api_.publish(*store_, config_, suppressions_));
  auto json = api_.feeds_json();
  ASSERT_OK(json);
  auto statuses = store::feed_statuses(store_->database());
  ASSERT_OK(statuses);
  EXPECT_EQ(*json, feed_statuses_json(*statuses));
  EXPECT_THAT(*json, HasSubstr("\"last_error\": \"not reachable\""));
}

TEST_F(ApiStateTest, ReadyAfterTheFirstSuccessfulScan) {
  EXPECT_THAT(api_.not_ready().value_or(""), HasSubstr("waiting for the first scan"));
  api_.scan_finished(fail(Errc::data_loss, "store is corrupt"));
  EXPECT_EQ(api_.not_ready().value_or(""), "the first scan failed: store is corrupt");
  api_.scan_finished({});
  EXPECT_EQ(api_.not_ready(), std::nullopt);
  api_.scan_finished(fail(Errc::data_loss, "later failure"));  // ready stays ready
  EXPECT_EQ(api_.not_ready(), std::nullopt);
}

TEST_F(ApiStateTest, WorkerHooks) {
  bool alive = true;
  int scans = 0;
  events::EventInbox inbox;
  api_.connect_worker([&] { return alive; }, [&] { ++scans; },
                      [&](events::PatchEvent e) { return inbox.push(std::move(e)); });
  EXPECT_TRUE(api_.alive());
  alive = false;
  EXPECT_FALSE(api_.alive());
  EXPECT_TRUE(api_.request_scan());
  EXPECT_EQ(scans, 1);

  events::PatchEvent deploy;
  deploy.at = 1;
  deploy.origin = events::Origin::api;
  deploy.kind = events::Kind::deploy;
  deploy.target = "shop";
  deploy.to_version = "2";
  // A worker busy with a long job: the request is answered "queued" when the wait ends.
  auto queued = api_.record_deploy(deploy, std::chrono::milliseconds(20));
  ASSERT_OK(queued);
  EXPECT_FALSE(queued->has_value());
  for (auto& p : inbox.take()) p.stored.set_value(p.event);  // the worker catches up
  // A worker that stores it: the request gets the stored event with its id.
  std::thread worker([&] {
    for (;;) {
      auto pending = inbox.take();
      if (pending.empty()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        continue;
      }
      for (auto& p : pending) {
        p.event.id = 42;
        p.stored.set_value(p.event);
      }
      break;
    }
  });
  auto stored = api_.record_deploy(deploy, std::chrono::seconds(30));
  worker.join();
  ASSERT_OK(stored);
  ASSERT_TRUE(stored->has_value());
  EXPECT_EQ((*stored)->id, 42);
}

TEST_F(ApiStateTest, DeployWithoutAWorkerIsUnavailable) {
  events::PatchEvent deploy;
  auto r = api_.record_deploy(deploy, std::chrono::milliseconds(1));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::unavailable);
}

TEST_F(ApiStateTest, APublishReplacesTheSnapshotAndKeepsTheOldOneOnError) {
  ASSERT_OK(api_.publish(*store_, config_, suppressions_));
  std::vector<Finding> none;
  ASSERT_OK(store::record_scan(store_->database(), "web-1", none, kNov26, 1, 0));
  ASSERT_OK(api_.publish(*store_, config_, suppressions_));
  auto after = api_.findings(kNov26);
  ASSERT_OK(after);
  EXPECT_TRUE(after->findings.empty());  // the finding was resolved by the empty scan

  // A store that cannot be read leaves the last good snapshot in place.
  ASSERT_EQ(
      ::sqlite3_exec(store_->database().handle(), "DROP TABLE findings", nullptr, nullptr, nullptr),
      SQLITE_OK);
  EXPECT_FALSE(api_.publish(*store_, config_, suppressions_));
  EXPECT_OK(api_.findings(kNov26));
}

}  // namespace
}  // namespace patchparty::lifecycle
