// A feed refresh end to end against a real SQLite store and a real HTTP server on loopback:
// every failure leaves the last good rows and is recorded.
#include "daemon/lifecycle/feed_job.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "collectors/feeds/builtin_feeds.h"
#include "collectors/inventory/builtin_sources.h"
#include "collectors/inventory/inventory_plan.h"
#include "core/store/advisory_tables.h"
#include "tests/support/http_test_server.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"
#include "tests/support/zip_writer.h"

namespace patchparty::lifecycle {
namespace {

using ::testing::HasSubstr;
using testing::Route;
namespace fs = std::filesystem;

std::string zip_of(const std::filesystem::path& dir, bool recursive = false) {
  auto tmp =
      std::filesystem::temp_directory_path() / ("pp-zip-" + std::to_string(::getpid()) + ".zip");
  std::vector<std::filesystem::path> files;
  if (recursive) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
      if (e.is_regular_file() && e.path().extension() == ".yaml") files.push_back(e.path());
  } else {
    for (const auto& e : std::filesystem::directory_iterator(dir))
      if (e.path().extension() == ".json") files.push_back(e.path());
  }
  {
    testing::ZipWriter zip(tmp);
    for (const auto& path : files) {
      // GitHub's archive layout: one top-level folder, then vendor/package/advisory.yaml.
      zip.add(recursive ? "security-advisories-master/" + path.lexically_relative(dir).string()
                        : path.filename().string(),
              testing::Subprocess::slurp(path));
    }
  }
  std::string bytes = testing::Subprocess::slurp(tmp);
  std::filesystem::remove(tmp);
  return bytes;
}

class FeedJobTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    feeds::register_builtin_feeds();  // as both executables do at start-up
    server_ = new testing::HttpTestServer();
    packagist_zip_ = new std::string(zip_of(testing::test_data("osv/Packagist")));
  }
  static void TearDownTestSuite() {
    delete server_;
    delete packagist_zip_;
  }
  void SetUp() override {
    dir_ = testing::temp_dir("feedjob");
    auto s = store::Store::open(dir_ / "state");
    ASSERT_OK(s);
    store_.emplace(std::move(*s));
    fetcher_.emplace(dir_ / "state" / "downloads", user_agent());
  }
  std::unique_ptr<feeds::Feed> feed(const std::string& path, std::string name = "osv-test") {
    config::FeedConfig c;
    c.name = std::move(name);
    c.kind = "osv";
    c.url = server_->url(path);
    c.timeout = std::chrono::seconds(20);
    auto f = feeds::make_feed(c);
    EXPECT_TRUE(f.has_value());
    return std::move(*f);
  }
  std::int64_t count() {
    return store::advisory_count(store_->database(), "osv-test").value_or(-1);
  }
  store::FeedStatus status() {
    auto s = store::feed_status(store_->database(), "osv-test");
    EXPECT_TRUE(s && s->has_value());
    return s && *s ? **s : store::FeedStatus{};
  }
  // Loads the good data first, as every failure case starts from it.
  void load_good(const std::string& path) {
    server_->set(path, Route{.body = *packagist_zip_, .etag = "\"good\""});
    auto f = feed(path);
    auto r = run_feed(*f, *fetcher_, *store_, {});
    ASSERT_OK(r);
    ASSERT_EQ(count(), 413);
  }

  static inline testing::HttpTestServer* server_ = nullptr;
  static inline std::string* packagist_zip_ = nullptr;
  std::filesystem::path dir_;
  std::optional<store::Store> store_;
  std::optional<feeds::Fetcher> fetcher_;
};

TEST_F(FeedJobTest, IngestsThenAnswers304WithoutParsing) {
  load_good("/a/all.zip");
  auto s = status();
  EXPECT_EQ(s.record_count, 413);
  EXPECT_EQ(s.etag, "\"good\"");
  EXPECT_GT(s.last_success_at, 0);
  EXPECT_EQ(s.failures, 0);
  auto f = feed("/a/all.zip");
  auto again = run_feed(*f, *fetcher_, *store_, {});
  ASSERT_OK(again);
  EXPECT_EQ(again->status, feeds::Refresh::not_modified);
  EXPECT_EQ(server_->requests().back().if_none_match, "\"good\"");
  EXPECT_EQ(count(), 413);
  // The records are kept as OSV JSON and found by package.
  auto records = store::advisory_records(store_->database(), "Packagist", "drupal/core");
  ASSERT_OK(records);
  EXPECT_FALSE(records->empty());
}

TEST_F(FeedJobTest, CorruptZipKeepsTheLastGoodData) {
  load_good("/b/all.zip");
  std::string bad = *packagist_zip_;
  for (std::size_t i = bad.size() / 2; i < bad.size() / 2 + 64; ++i) bad[i] ^= 0x5a;
  server_->set("/b/all.zip", Route{.body = bad, .etag = "\"bad\""});
  auto f = feed("/b/all.zip");
  auto r = run_feed(*f, *fetcher_, *store_, {});
  EXPECT_ERRC(r, Errc::data_loss);
  EXPECT_EQ(count(), 413);
  auto s = status();
  EXPECT_EQ(s.failures, 1);
  EXPECT_THAT(s.last_error, ::testing::ContainsRegex("ZIP|zip|CRC"));
  EXPECT_EQ(s.etag, "\"good\"");  // the validators still describe the data we hold
}

TEST_F(FeedJobTest, TruncatedDownloadKeepsTheLastGoodData) {
  load_good("/c/all.zip");
  server_->set("/c/all.zip",
               Route{.body = *packagist_zip_ + "x", .etag = "\"v2\"", .truncate = true});
  auto f = feed("/c/all.zip");
  EXPECT_ERRC(run_feed(*f, *fetcher_, *store_, {}), Errc::data_loss);
  EXPECT_EQ(count(), 413);
  EXPECT_EQ(status().failures, 1);
}

TEST_F(FeedJobTest, ServerErrorsKeepTheLastGoodData) {
  load_good("/d/all.zip");
  server_->set("/d/all.zip", Route{.body = "", .fail_first = 1000});
  auto f = feed("/d/all.zip");
  auto r = run_feed(*f, *fetcher_, *store_, {});
  EXPECT_ERRC(r, Errc::unavailable);
  EXPECT_EQ(count(), 413);
  auto again = run_feed(*f, *fetcher_, *store_, {});
  EXPECT_FALSE(again);
  EXPECT_EQ(status().failures, 2);
}

TEST_F(FeedJobTest, MalformedJsonKeepsTheLastGoodData) {
  load_good("/e/all.zip");
  server_->set("/e/all.zip",
               Route{.body = "{\"id\": \"GHSA-1\", \"modified\": ", .etag = "\"v3\""});
  auto f = feed("/e/all.zip");
  EXPECT_ERRC(run_feed(*f, *fetcher_, *store_, {}), Errc::data_loss);
  EXPECT_EQ(count(), 413);
}

TEST_F(FeedJobTest, OversizeBodyKeepsTheLastGoodData) {
  load_good("/f/all.zip");
  server_->set("/f/all.zip", Route{.body = std::string(4096, 'x'), .etag = "\"v4\""});
  config::FeedConfig c;
  c.name = "osv-test";
  c.kind = "osv";
  c.url = server_->url("/f/all.zip");
  c.max_size = 1024;
  auto f = feeds::make_feed(c);
  ASSERT_OK(f);
  EXPECT_ERRC(run_feed(**f, *fetcher_, *store_, {}), Errc::resource_exhausted);
  EXPECT_EQ(count(), 413);
}

TEST_F(FeedJobTest, RedirectLoopKeepsTheLastGoodData) {
  load_good("/g/all.zip");
  server_->set("/g/all.zip", Route{.status = 302, .location = "/g/all.zip"});
  auto f = feed("/g/all.zip");
  EXPECT_ERRC(run_feed(*f, *fetcher_, *store_, {}), Errc::failed_precondition);
  EXPECT_EQ(count(), 413);
}

TEST_F(FeedJobTest, ASuccessfulRefreshReplacesTheRows) {
  load_good("/h/all.zip");
  server_->set("/h/all.zip",
               Route{.body = zip_of(testing::test_data("osv/npm")), .etag = "\"npm\""});
  auto f = feed("/h/all.zip");
  auto r = run_feed(*f, *fetcher_, *store_, {});
  ASSERT_OK(r);
  EXPECT_EQ(count(), 2);  // the two npm records, nothing of the Packagist ones
  EXPECT_EQ(status().etag, "\"npm\"");
}

// Every kind, served over HTTP from the shared data, lands in the store; a broken copy of each
// leaves the good rows in place.
struct KindCase {
  std::string kind, file;
  bool zip_tree = false;
  std::string broken;  // a malformed body of this kind
};

TEST_F(FeedJobTest, EveryKindIngestsAndSurvivesABrokenUpdate) {
  const KindCase cases[] = {
      {"debian-tracker", "debian/security-tracker-json-sample.json", false,
       "{\"apparmor\": {\"CVE-1\": "},
      {"debian-dsa-list", "debian/DSA-list.txt", false, "[not a date] DSA-1 x\n"},
      {"alpine-secdb", "alpine/v3.19-main.json", false, "{\"packages\": [{\"pkg\": "},
      {"friendsofphp", "friendsofphp", true, "PK\x03\x04garbage"},
      {"kev", "kev/known_exploited_vulnerabilities.json", false,
       "{\"count\": 5, \"vulnerabilities\": []}"},
      {"epss", "epss/epss_scores-current.head.csv", false,
       "cve,epss,percentile\nCVE-2024-1,2.5,0.1\n"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.kind);
    std::string body = c.zip_tree ? zip_of(testing::test_data(c.file), true)
                                  : testing::Subprocess::slurp(testing::test_data(c.file));
    std::string path = "/kinds/" + c.kind;
    server_->set(path, Route{.body = body, .etag = "\"1\""});
    config::FeedConfig fc;
    fc.name = c.kind;
    fc.kind = c.kind;
    fc.url = server_->url(path);
    auto f = feeds::make_feed(fc);
    ASSERT_OK(f);
    auto r = run_feed(**f, *fetcher_, *store_, {});
    ASSERT_OK(r);
    EXPECT_GT(r->records, 0);
    auto before = store::feed_status(store_->database(), c.kind);
    ASSERT_TRUE(before && before->has_value());
    EXPECT_EQ((*before)->record_count, r->records);

    server_->set(path, Route{.body = c.broken, .etag = "\"2\""});
    auto broken = run_feed(**f, *fetcher_, *store_, {});
    EXPECT_FALSE(broken) << "a broken " << c.kind << " update was accepted";
    auto after = store::feed_status(store_->database(), c.kind);
    ASSERT_TRUE(after && after->has_value());
    EXPECT_EQ((*after)->record_count, r->records);
    EXPECT_EQ((*after)->failures, 1);
    EXPECT_FALSE((*after)->last_error.empty());
  }
  // The rows themselves are still there and readable.
  auto kev = store::kev_entry(store_->database(), "CVE-2025-48384");
  ASSERT_OK(kev);
  ASSERT_TRUE(kev->has_value());
  EXPECT_EQ((*kev)->vendor, "Git");
  auto apparmor = store::advisory_records(store_->database(), "Debian", "apparmor");
  ASSERT_OK(apparmor);
  EXPECT_FALSE(apparmor->empty());
  auto symfony = store::advisory_records(store_->database(), "Packagist", "symfony/http-kernel");
  ASSERT_OK(symfony);
  EXPECT_FALSE(symfony->empty());
}

TEST_F(FeedJobTest, DefaultFeedsFollowTheInventory) {
  auto debian = feeds::default_feeds("Debian:12", {"npm", "Packagist"});
  EXPECT_EQ(debian[0].only, std::vector<std::string>{"Debian:12"});
  std::vector<std::string> names;
  for (const auto& f : debian) names.push_back(f.name);
  EXPECT_THAT(names, ::testing::ElementsAre("debian-tracker", "osv-packagist", "friendsofphp",
                                            "osv-npm", "kev", "epss"));
  auto alpine = feeds::default_feeds("Alpine:v3.19", {});
  ASSERT_GE(alpine.size(), 2u);
  EXPECT_EQ(alpine[0].url, "https://secdb.alpinelinux.org/v3.19/main.json");
  auto ubuntu = feeds::default_feeds("Ubuntu:22.04:LTS", {});
  EXPECT_EQ(ubuntu[0].kind, "osv");
  EXPECT_THAT(ubuntu[0].url, ::testing::EndsWith("/Ubuntu/"));
  EXPECT_EQ(ubuntu[0].only, std::vector<std::string>{"Ubuntu:22.04:LTS"});
}

// Every application ecosystem the inventory reads gets OSV's folder of that exact name.
TEST_F(FeedJobTest, DefaultFeedsCoverEveryApplicationEcosystem) {
  const std::string bucket = "https://osv-vulnerabilities.storage.googleapis.com/";
  auto feeds = feeds::default_feeds("", {"PyPI", "Go", "crates.io", "RubyGems", "Maven"});
  std::vector<std::string> got;
  for (const auto& f : feeds)
    if (f.kind == "osv") got.push_back(f.name + " " + f.url.substr(bucket.size()));
  // The folder form: each syncs incrementally (osv_bucket_feed.h).
  EXPECT_THAT(got, ::testing::ElementsAre("osv-go Go/", "osv-maven Maven/", "osv-pypi PyPI/",
                                          "osv-rubygems RubyGems/", "osv-crates.io crates.io/"));
}

// The automatic feeds follow what the plan will read: a lockfile's kind names its ecosystem, an
// SBOM's content names its own, a Go binary is Go.
TEST_F(FeedJobTest, EffectiveFeedsAskForTheEcosystemsOfLockfilesBinariesAndSboms) {
  inventory::register_builtin_sources();
  const fs::path root = testing::temp_dir("feeds-plan");
  fs::create_directories(root / "srv/app/bin");
  std::ofstream(root / "srv/app/Cargo.lock") << "version = 3\n";
  std::ofstream(root / "srv/app/bin/api") << "";
  std::ofstream(root / "srv/app/bom.json")
      << R"({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
           {"type": "library", "name": "requests", "version": "2.31.0",
            "purl": "pkg:pypi/requests@2.31.0"},
           {"type": "library", "name": "rails", "version": "7.1.0", "purl": "pkg:gem/rails@7.1.0"},
           {"type": "library", "name": "openssl", "version": "3.0.11-1~deb12u2",
            "purl": "pkg:deb/debian/openssl@3.0.11-1~deb12u2?distro=debian-12"}]})";
  config::Config c = config::default_config();
  c.inventory.root = root;
  c.inventory.python_site.enabled = config::Toggle::off;
  c.inventory.npm_global.enabled = config::Toggle::off;
  c.projects.push_back(config::ProjectConfig{.name = "app",
                                             .path = "/srv/app",
                                             .lockfiles = {"Cargo.lock"},
                                             .binaries = {"bin/*"},
                                             .sbom = {"bom.json"},
                                             .context = {}});
  std::vector<std::string> osv;
  for (const auto& f : effective_feeds(c, inventory::plan_inventory(c)))
    if (f.kind == "osv") osv.push_back(f.name);
  // The SBOM's Debian package is a host package: the host's own feeds cover it, not OSV's whole
  // Debian folder.
  EXPECT_THAT(osv, ::testing::ElementsAre("osv-go", "osv-pypi", "osv-rubygems", "osv-crates.io"));
  fs::remove_all(root);
}

// Every family the host ecosystem table names gets its OSV folder, escaped as a URL path
// segment, and a feed name fit for a label and a file name.
TEST_F(FeedJobTest, DefaultFeedsCoverEveryRpmFamilyWithEscapedUrls) {
  const std::string bucket = "https://osv-vulnerabilities.storage.googleapis.com/";
  struct Case {
    const char* host;
    const char* name;
    const char* folder;
  };
  for (const Case& c : {Case{"Red Hat:enterprise_linux:9", "osv-red-hat", "Red%20Hat"},
                        Case{"Red Hat:rhel_eus:9.2", "osv-red-hat", "Red%20Hat"},
                        Case{"AlmaLinux:8", "osv-almalinux", "AlmaLinux"},
                        Case{"Rocky Linux:9", "osv-rocky-linux", "Rocky%20Linux"},
                        Case{"SUSE:Linux Enterprise Server 15 SP5", "osv-suse", "SUSE"},
                        Case{"openSUSE:Leap 15.5", "osv-opensuse", "openSUSE"},
                        Case{"Ubuntu:Pro:22.04:LTS", "osv-ubuntu", "Ubuntu"}}) {
    auto feeds = feeds::default_feeds(c.host, {});
    ASSERT_FALSE(feeds.empty()) << c.host;
    EXPECT_EQ(feeds[0].name, c.name);
    EXPECT_EQ(feeds[0].url, bucket + c.folder + "/");
    EXPECT_EQ(feeds[0].only, std::vector<std::string>{c.host});
  }
}

}  // namespace
}  // namespace patchparty::lifecycle
