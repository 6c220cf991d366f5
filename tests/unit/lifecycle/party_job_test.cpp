// The party's schedule and its backlog export against a real SQLite store on disk: the export
// happens once per party inside its window, survives restarts as "done", and a failed write
// leaves nothing recorded so the next minute's check tries again.
#include "daemon/lifecycle/party_job.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "core/store/advisory_tables.h"
#include "core/store/finding_tables.h"
#include "exporters/backlog/backlog_writers.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty::lifecycle {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

// Fixed instants (UTC) around the default schedule, "first Tuesday at 09:00".
constexpr std::int64_t kNov3Party = 1793696400;  // 2026-11-03T09:00:00Z
constexpr std::int64_t kDec1Party = 1796115600;  // 2026-12-01T09:00:00Z
constexpr std::int64_t kJan5Party = 1799139600;  // 2027-01-05T09:00:00Z
constexpr std::int64_t kNov26 = 1795687200;      // 2026-11-26T10:00:00Z, a Thursday
constexpr std::int64_t kDay = 24 * 3600;

config::Config party_config(const fs::path& state_dir) {
  config::Config c = config::default_config();
  c.state_dir = state_dir;
  c.host_name = "web-1";
  c.party.time_zone = "UTC";
  config::FeedConfig feed;
  feed.kind = feed.name = "friendsofphp";
  feed.url = "file://" + (state_dir / "friendsofphp").string();
  c.feeds_configured = true;
  c.feeds = {feed};
  return c;
}

Finding http_kernel_finding() {
  Finding f;
  f.host = "web-1";
  f.project = "shop";
  f.package.ecosystem = "Packagist";
  f.package.name = "symfony/http-kernel";
  f.package.source_name = f.package.name;
  f.package.version = "v5.3.0";
  f.package.origin = "composer";
  f.package.project = "shop";
  f.package.location = "/srv/shop/composer.lock";
  f.vulnerability = "CVE-2021-41267";
  f.aliases = {"GHSA-q3j3-w37x-hq2q"};
  f.advisories = {"CVE-2021-41267"};
  f.feeds = {"friendsofphp"};
  f.fixed_version = "5.3.12";
  f.severity = SeverityLevel::high;
  f.cvss = 7.5;
  f.summary = "Webcache Poisoning via X-Forwarded-Prefix";
  return f;
}

std::set<std::string> files_in(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

TEST(PartyTimes, DefaultScheduleIsTheFirstTuesdayAtNineUtc) {
  config::PartyConfig party;
  party.time_zone = "UTC";
  ASSERT_EQ(party.schedule, "0 9 * * 2#1");

  auto t = party_times(party, kNov26);
  ASSERT_OK(t);
  EXPECT_EQ(t->last, kNov3Party);
  EXPECT_EQ(t->next, kDec1Party);

  // A party instant is its own "last"; the next one is a month on.
  auto at = party_times(party, kDec1Party);
  ASSERT_OK(at);
  EXPECT_EQ(at->last, kDec1Party);
  EXPECT_EQ(at->next, kJan5Party);

  auto just_before = party_times(party, kDec1Party - 1);
  ASSERT_OK(just_before);
  EXPECT_EQ(just_before->last, kNov3Party);
  EXPECT_EQ(just_before->next, kDec1Party);
}

TEST(PartyTimes, InvalidScheduleOrZoneIsAnError) {
  config::PartyConfig party;
  party.time_zone = "UTC";
  party.schedule = "0 9 * * 9";
  EXPECT_ERRC(party_times(party, kNov26), Errc::invalid_argument);
  party.schedule = "0 9 * * 2#1";
  party.time_zone = "Mars/Olympus";
  EXPECT_ERRC(party_times(party, kNov26), Errc::invalid_argument);
}

class PartyExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    state_dir_ = testing::temp_dir("state");
    config_ = party_config(state_dir_);
    auto s = store::Store::open(state_dir_);
    ASSERT_OK(s);
    store_.emplace(std::move(*s));
    std::vector<Finding> findings = {http_kernel_finding()};
    ASSERT_OK(store::record_scan(store_->database(), "web-1", findings, kNov26 - 10 * kDay, 1, 0));
    ASSERT_OK(store::record_feed_failure(store_->database(), "friendsofphp", "friendsofphp",
                                         "not reachable", kNov26 - 10 * kDay, 0.1));
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(state_dir_);
  }

  Result<std::optional<PartyExport>> export_at(std::int64_t now) {
    return export_if_due(*store_, config_, suppressions_, now);
  }

  fs::path state_dir_;
  config::Config config_;
  suppress::Suppressions suppressions_;
  std::optional<store::Store> store_;
};

TEST_F(PartyExportTest, NotDueBeforeTheWindowOpens) {
  const std::int64_t opens = kDec1Party - kDay;  // export_before defaults to 24h
  auto r = export_at(opens - 1);
  ASSERT_OK(r);
  EXPECT_FALSE(r->has_value());
  EXPECT_FALSE(fs::exists(export_directory(config_)));
  auto done = store::party_exported(store_->database(), kDec1Party);
  ASSERT_OK(done);
  EXPECT_FALSE(*done);
}

// A daemon's first start inside the window: the party check runs before the first feed refresh,
// and an export then would be an empty backlog standing for the whole party.
TEST_F(PartyExportTest, WaitsForEveryFeedsFirstRefresh) {
  config::FeedConfig kev;
  kev.kind = kev.name = "kev";
  kev.url = "file:///nonexistent/kev.json";
  config_.feeds.push_back(kev);
  config::FeedConfig off = kev;
  off.name = "kev-mirror";
  off.enabled = false;
  config_.feeds.push_back(off);

  auto early = export_at(kDec1Party - 7200);
  ASSERT_OK(early);
  EXPECT_FALSE(early->has_value());
  auto done = store::party_exported(store_->database(), kDec1Party);
  ASSERT_OK(done);
  EXPECT_FALSE(*done);

  // Tried, even unsuccessfully: the export goes out with what the store has. A disabled feed is
  // never waited for.
  ASSERT_OK(store::record_feed_failure(store_->database(), "kev", "kev", "no such file",
                                       kDec1Party - 7100, 0.1));
  auto later = export_at(kDec1Party - 7000);
  ASSERT_OK(later);
  EXPECT_TRUE(later->has_value());
}

TEST_F(PartyExportTest, InThePartysLastHourExportsWithoutWaitingForFeeds) {
  config::FeedConfig kev;
  kev.kind = kev.name = "kev";
  kev.url = "file:///nonexistent/kev.json";
  config_.feeds.push_back(kev);
  auto r = export_at(kDec1Party - 1800);
  ASSERT_OK(r);
  EXPECT_TRUE(r->has_value());
}

TEST_F(PartyExportTest, WritesDatedAndLatestFilesOnceInsideTheWindow) {
  const std::int64_t opens = kDec1Party - kDay;
  auto r = export_at(opens);
  ASSERT_OK(r);
  ASSERT_TRUE(r->has_value());
  const PartyExport& e = **r;
  EXPECT_EQ(e.party_at, kDec1Party);
  EXPECT_EQ(e.directory, state_dir_ / "backlog");
  EXPECT_THAT(e.files, ::testing::ElementsAre(e.directory / "backlog-2026-12-01.md",
                                              e.directory / "backlog-2026-12-01.csv",
                                              e.directory / "backlog-2026-12-01.json"));
  // Every file is renamed into place: no temporary is left beside them.
  EXPECT_EQ(files_in(e.directory),
            (std::set<std::string>{"backlog-2026-12-01.md", "backlog-2026-12-01.csv",
                                   "backlog-2026-12-01.json", "backlog.md", "backlog.csv",
                                   "backlog.json"}));
  for (const char* ext : {"md", "csv", "json"}) {
    const std::string dated =
        testing::Subprocess::slurp(e.directory / (std::string("backlog-2026-12-01.") + ext));
    EXPECT_EQ(dated, testing::Subprocess::slurp(e.directory / (std::string("backlog.") + ext)))
        << ext;
    EXPECT_THAT(dated, HasSubstr("symfony/http-kernel")) << ext;
  }
  const std::string md = testing::Subprocess::slurp(e.directory / "backlog.md");
  EXPECT_THAT(md, HasSubstr("- [ ]"));
  EXPECT_THAT(md, HasSubstr("5.3.12"));
  EXPECT_THAT(testing::Subprocess::slurp(e.directory / "backlog.json"),
              HasSubstr(exporters::kBacklogJsonSchema));

  auto done = store::party_exported(store_->database(), kDec1Party);
  ASSERT_OK(done);
  EXPECT_TRUE(*done);

  // Later in the same window: already written.
  auto again = export_at(opens + 3600);
  ASSERT_OK(again);
  EXPECT_FALSE(again->has_value());
}

TEST_F(PartyExportTest, AnExportIsRememberedAcrossRestarts) {
  ASSERT_OK(export_at(kDec1Party - 3600));
  const fs::path md = export_directory(config_) / "backlog-2026-12-01.md";
  ASSERT_TRUE(fs::exists(md));
  fs::remove(md);

  // A new Store on the same directory, as after a daemon restart.
  store_.reset();
  auto reopened = store::Store::open(state_dir_);
  ASSERT_OK(reopened);
  store_.emplace(std::move(*reopened));
  auto r = export_at(kDec1Party - 1800);
  ASSERT_OK(r);
  EXPECT_FALSE(r->has_value());
  EXPECT_FALSE(fs::exists(md)) << "the export was written a second time";
}

TEST_F(PartyExportTest, TheNextPartyExportsAgain) {
  auto first = export_at(kDec1Party - 3600);
  ASSERT_OK(first);
  ASSERT_TRUE(first->has_value());
  // After the party, the next one (5 January) is more than a day away: nothing due.
  auto between = export_at(kDec1Party + 3600);
  ASSERT_OK(between);
  EXPECT_FALSE(between->has_value());

  auto second = export_at(kJan5Party - 3600);
  ASSERT_OK(second);
  ASSERT_TRUE(second->has_value());
  EXPECT_EQ((*second)->party_at, kJan5Party);
  const fs::path dir = export_directory(config_);
  EXPECT_TRUE(fs::exists(dir / "backlog-2026-12-01.json"));
  EXPECT_TRUE(fs::exists(dir / "backlog-2027-01-05.json"));
  EXPECT_EQ(testing::Subprocess::slurp(dir / "backlog.json"),
            testing::Subprocess::slurp(dir / "backlog-2027-01-05.json"));
}

TEST_F(PartyExportTest, AnUnwritableDirectoryFailsAndIsRetried) {
  // A regular file where a directory is needed: fails for root as well.
  const fs::path blocker = state_dir_ / "not-a-dir";
  std::ofstream(blocker) << "x";
  config_.party.export_dir = blocker / "backlog";

  auto r = export_at(kDec1Party - 3600);
  ASSERT_FALSE(r.has_value()) << "expected an error";
  EXPECT_THAT(r.error().message, HasSubstr(config_.party.export_dir.string()));
  auto done = store::party_exported(store_->database(), kDec1Party);
  ASSERT_OK(done);
  EXPECT_FALSE(*done) << "a failed export must not count as written";

  // Once the directory can be created, the next check writes it.
  fs::remove(blocker);
  auto retry = export_at(kDec1Party - 3000);
  ASSERT_OK(retry);
  ASSERT_TRUE(retry->has_value());
  EXPECT_TRUE(fs::exists(config_.party.export_dir / "backlog-2026-12-01.csv"));
}

TEST_F(PartyExportTest, AFailedRenameLeavesNoTemporaryAndNothingRecorded) {
  const fs::path dir = export_directory(config_);
  fs::create_directories(dir);
  // A directory in place of backlog.csv: the csv rename fails after the md files were written.
  fs::create_directories(dir / "backlog.csv" / "occupied");

  auto r = export_at(kDec1Party - 3600);
  ASSERT_FALSE(r.has_value()) << "expected an error";
  for (const auto& name : files_in(dir))
    EXPECT_FALSE(name.ends_with(".tmp")) << name << " was left behind";
  auto done = store::party_exported(store_->database(), kDec1Party);
  ASSERT_OK(done);
  EXPECT_FALSE(*done);
}

TEST(WriteBacklogFiles, UsesTheStemAndTheUndatedNames) {
  const fs::path dir = testing::temp_dir("export") / "nested" / "dir";
  exporters::Backlog backlog;
  backlog.host = "web-1";
  auto r = write_backlog_files(backlog, dir, "2026-12-01");
  ASSERT_OK(r);
  EXPECT_EQ(r->size(), 3u);
  EXPECT_EQ(files_in(dir), (std::set<std::string>{"backlog-2026-12-01.md", "backlog-2026-12-01.csv",
                                                  "backlog-2026-12-01.json", "backlog.md",
                                                  "backlog.csv", "backlog.json"}));
}

}  // namespace
}  // namespace patchparty::lifecycle
