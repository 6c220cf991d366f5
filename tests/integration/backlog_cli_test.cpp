// `patchparty backlog` on a store the real daemon filled: patchpartyd reads a project's
// composer.lock and the FriendsOfPHP advisories from file://, rescans, and the backlog command
// renders what it found in every format. Also the daemon's refusal to start on a bad
// suppressions file or party schedule.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sqlite3.h>

#include <fstream>
#include <set>
#include <sstream>

#include "exporters/backlog/backlog_writers.h"
#include "tests/support/json_string.h"
#include "tests/support/scratch_files.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
namespace fs = std::filesystem;
using testing::json_string;
using testing::write_file;

// Host package databases off: only the project's lockfile is inventoried, whatever the host.
std::string daemon_config(const fs::path& project, const fs::path& advisories,
                          std::string_view party = "  time_zone: UTC\n",
                          std::string_view extra = "") {
  return "log_level: debug\n"
         "host_name: web-1\n"
         "shutdown_timeout: 2s\n"
         "inventory:\n"
         "  interval: 10s\n"
         "  dpkg: {enabled: false}\n"
         "  rpm: {enabled: false}\n"
         "  apk: {enabled: false}\n"
         "projects:\n"
         "  - name: shop\n"
         "    path: " +
         project.string() +
         "\n"
         "feeds:\n"
         "  - kind: friendsofphp\n"
         "    url: file://" +
         advisories.string() +
         "\n"
         "    interval: 1m\n"
         "party:\n" +
         std::string(party) + std::string(extra);
}

class BacklogCli : public ::testing::Test {
 protected:
  // One daemon run for the whole suite: it is the slow part.
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() /
                        ("patchparty-backlog-cli-" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    fs::create_directories(*dir_ / "shop");
    fs::copy_file(testing::test_data("lockfiles/symfony-demo-v1.7.1-composer.lock"),
                  *dir_ / "shop" / "composer.lock");
    // The export window always open (longer than any gap between monthly parties), so the
    // party check runs at start, before the first feed refresh, as on a first install.
    write_file(config(),
               daemon_config(*dir_ / "shop", testing::test_data("friendsofphp").lexically_normal(),
                             "  time_zone: UTC\n  export_before: 900h\n"));

    testing::Subprocess d(
        {PATCHPARTYD_BIN, "-c", config().string(), "--state-dir", state().string()}, {},
        *dir_ / "daemon.out", *dir_ / "daemon.err");
    ASSERT_GT(d.pid(), 0);
    // The daemon rescans after its inventory and feed jobs; poll the reader until tasks appear.
    const auto deadline = std::chrono::steady_clock::now() + 15s;
    bool ready = false;
    while (!ready && std::chrono::steady_clock::now() < deadline && d.running()) {
      auto r = backlog({"--format", "json"});
      if (r.code == 1) {
        rapidjson::Document doc;
        doc.Parse(r.out.c_str());
        ready = !doc.HasParseError() && doc.IsObject() && doc["tasks"].Size() > 0;
      }
      if (!ready) std::this_thread::sleep_for(200ms);
    }
    daemon_log_ = new std::string(d.err());
    ASSERT_TRUE(ready) << "no tasks within 15 s; daemon log:\n" << d.err();
    d.signal(SIGTERM);
    auto code = d.wait(5s);
    ASSERT_TRUE(code.has_value()) << "patchpartyd did not stop on SIGTERM";
    EXPECT_EQ(*code, 0) << d.err();
    *daemon_log_ = d.err();
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete daemon_log_;
  }
  void SetUp() override {
    if (!daemon_log_ || !fs::exists(state() / "patchparty.db"))
      GTEST_SKIP() << "the daemon run in SetUpTestSuite failed";
  }

  static fs::path config() { return *dir_ / "pp.yml"; }
  static fs::path state() { return *dir_ / "state"; }
  static testing::RunResult backlog(std::vector<std::string> args) {
    std::vector<std::string> argv = {PATCHPARTY_BIN,   "backlog", "--state-dir",
                                     state().string(), "-c",      config().string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::run(argv, *dir_);
  }

  static fs::path* dir_;
  static std::string* daemon_log_;
};

fs::path* BacklogCli::dir_ = nullptr;
std::string* BacklogCli::daemon_log_ = nullptr;

TEST_F(BacklogCli, DaemonLoggedItsScan) {
  EXPECT_THAT(*daemon_log_, HasSubstr("job inventory: done"));
  EXPECT_THAT(*daemon_log_, HasSubstr("open findings"));
}

// An export written before the advisories were in would be an empty backlog recorded as this
// party's; the daemon must wait for its feeds.
TEST_F(BacklogCli, NoEmptyPartyExportAtFirstStart) {
  const fs::path exported = state() / "backlog" / "backlog.json";
  if (!fs::exists(exported)) return;  // the next party check, a minute later, writes it
  EXPECT_THAT(testing::Subprocess::slurp(exported), HasSubstr("symfony/http-kernel"));
}

TEST_F(BacklogCli, JsonHasTheSchemaAndTheProjectsTasks) {
  auto r = backlog({"--format", "json"});
  ASSERT_EQ(r.code, 1) << r.err;
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  ASSERT_FALSE(doc.HasParseError()) << r.out;
  EXPECT_EQ(json_string(doc["schema"]), "patchparty.backlog/v1");
  EXPECT_EQ(json_string(doc["host"]), "web-1");
  EXPECT_FALSE(doc["since_last_party"].GetBool());
  const auto& tasks = doc["tasks"];
  ASSERT_GT(tasks.Size(), 0u);
  EXPECT_EQ(doc["summary"]["tasks"].GetInt64(), static_cast<std::int64_t>(tasks.Size()));
  bool http_kernel = false;
  for (rapidjson::SizeType i = 0; i < tasks.Size(); ++i) {
    const auto& t = tasks[i];
    EXPECT_EQ(t["rank"].GetInt64(), static_cast<std::int64_t>(i) + 1);
    EXPECT_EQ(json_string(t["host"]), "web-1");
    EXPECT_EQ(json_string(t["project"]), "shop");
    EXPECT_EQ(json_string(t["ecosystem"]), "Packagist");
    EXPECT_FALSE(json_string(t["target_version"]).empty());
    EXPECT_THAT(json_string(t["title"]), HasSubstr(json_string(t["package"])));
    EXPECT_TRUE(t["new_since_last_party"].GetBool());
    if (json_string(t["package"]) == "symfony/http-kernel") {
      http_kernel = true;
      ASSERT_EQ(t["installed"].Size(), 1u);
      EXPECT_EQ(json_string(t["installed"][0]), "v5.3.1");
      EXPECT_EQ(json_string(t["locations"][0]), (*dir_ / "shop" / "composer.lock").string());
    }
  }
  EXPECT_TRUE(http_kernel) << r.out.substr(0, 3000);
}

TEST_F(BacklogCli, MarkdownHasCheckboxTasks) {
  auto r = backlog({"--format", "md"});
  ASSERT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("- [ ]"));
  EXPECT_THAT(r.out, HasSubstr("symfony/http-kernel"));
  EXPECT_THAT(r.out, HasSubstr("CVE-2021-41267"));
  EXPECT_THAT(r.out, HasSubstr("web-1"));
}

TEST_F(BacklogCli, CsvHasTheDocumentedColumnsAndOneRowPerTask) {
  auto j = backlog({"--format", "json"});
  rapidjson::Document doc;
  doc.Parse(j.out.c_str());
  ASSERT_FALSE(doc.HasParseError());

  auto r = backlog({"--format", "csv"});
  ASSERT_EQ(r.code, 1) << r.err;
  std::string header;
  for (const char* c : exporters::kBacklogCsvColumns)
    header += (header.empty() ? "" : ",") + std::string(c);
  ASSERT_TRUE(r.out.starts_with(header + "\r\n")) << r.out.substr(0, 300);
  EXPECT_THAT(header, HasSubstr("rank,priority,host,project,ecosystem,package"));
  // Rows start with their rank; quoted fields may hold line breaks, ranks do not repeat.
  std::size_t rows = 0;
  for (std::size_t rank = 1; rank <= doc["tasks"].Size(); ++rank)
    if (r.out.find("\r\n" + std::to_string(rank) + ",") != std::string::npos) ++rows;
  EXPECT_EQ(rows, doc["tasks"].Size());
  EXPECT_THAT(r.out, HasSubstr(",web-1,shop,Packagist,symfony/http-kernel,"));
}

TEST_F(BacklogCli, TableListsTheTasks) {
  auto r = backlog({});
  ASSERT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("symfony/http-kernel"));
  EXPECT_THAT(r.out, HasSubstr("twig/twig"));
  auto t = backlog({"--format", "table"});
  EXPECT_EQ(t.out, r.out);
}

TEST_F(BacklogCli, SinceLastPartyKeepsOnlyWhatIsNew) {
  auto all = backlog({"--format", "json"});
  rapidjson::Document all_doc;
  all_doc.Parse(all.out.c_str());
  ASSERT_FALSE(all_doc.HasParseError());
  const auto total = all_doc["tasks"].Size();

  // Everything was first seen by this run, after the last party.
  auto r = backlog({"--format", "json", "--since-last-party"});
  ASSERT_EQ(r.code, 1) << r.err;
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  ASSERT_FALSE(doc.HasParseError());
  EXPECT_TRUE(doc["since_last_party"].GetBool());
  EXPECT_EQ(doc["tasks"].Size(), total);

  // Backdate twig/twig's findings to well before the last party (at most five weeks ago for a
  // monthly schedule): they are no longer new, the rest are.
  const fs::path copy = *dir_ / "state-backdated";
  fs::remove_all(copy);
  fs::create_directories(copy);
  fs::copy_file(state() / "patchparty.db", copy / "patchparty.db");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((copy / "patchparty.db").c_str(), &db), SQLITE_OK);
  const std::int64_t long_ago = std::chrono::duration_cast<std::chrono::seconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count() -
                                90 * 24 * 3600;
  const std::string sql = "UPDATE findings SET first_seen = " + std::to_string(long_ago) +
                          " WHERE package = 'twig/twig'";
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_GT(sqlite3_changes(db), 0);
  sqlite3_close(db);

  auto since = testing::run({PATCHPARTY_BIN, "backlog", "--state-dir", copy.string(), "-c",
                             config().string(), "--format", "json", "--since-last-party"},
                            *dir_);
  ASSERT_EQ(since.code, 1) << since.err;
  rapidjson::Document since_doc;
  since_doc.Parse(since.out.c_str());
  ASSERT_FALSE(since_doc.HasParseError());
  EXPECT_EQ(since_doc["tasks"].Size(), total - 1);
  for (const auto& t : since_doc["tasks"].GetArray())
    EXPECT_NE(json_string(t["package"]), "twig/twig");

  // Without the flag the backdated task is still there, no longer new.
  auto full = testing::run({PATCHPARTY_BIN, "backlog", "--state-dir", copy.string(), "-c",
                            config().string(), "--format", "json"},
                           *dir_);
  rapidjson::Document full_doc;
  full_doc.Parse(full.out.c_str());
  ASSERT_FALSE(full_doc.HasParseError());
  EXPECT_EQ(full_doc["tasks"].Size(), total);
  for (const auto& t : full_doc["tasks"].GetArray())
    EXPECT_EQ(t["new_since_last_party"].GetBool(), json_string(t["package"]) != "twig/twig");
}

TEST_F(BacklogCli, BadFormatOrMissingStoreExitsTwo) {
  auto f = backlog({"--format", "xml"});
  EXPECT_EQ(f.code, 2);
  EXPECT_THAT(f.err, HasSubstr("--format: 'xml' is not one of md, csv, json, table"));
  EXPECT_EQ(f.out, "");

  auto missing = testing::run({PATCHPARTY_BIN, "backlog", "--state-dir",
                               (*dir_ / "no-state").string(), "-c", config().string()},
                              *dir_);
  EXPECT_EQ(missing.code, 2);
  EXPECT_THAT(missing.err, HasSubstr("cannot read the store in " + (*dir_ / "no-state").string()));
  EXPECT_FALSE(fs::exists(*dir_ / "no-state" / "patchparty.db")) << "a reader created the store";
}

// The suppressed findings of a backlog as "package vulnerability" lines.
std::set<std::string> suppressed_in(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  std::set<std::string> out;
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("suppressed")) return out;
  for (const auto& f : doc["suppressed"].GetArray())
    out.insert(json_string(f["package"]) + " " + json_string(f["vulnerability"]));
  return out;
}

// `vex export` writes the suppressions in force as OpenVEX; that document, used as the only
// suppressions file, suppresses exactly the same findings.
TEST_F(BacklogCli, VexExportSuppressesTheSameFindingsWhenReadBack) {
  auto all = backlog({"--format", "json"});
  rapidjson::Document doc;
  doc.Parse(all.out.c_str());
  ASSERT_FALSE(doc.HasParseError());
  ASSERT_GE(doc["tasks"].Size(), 2u);
  // One rule with OpenVEX words, one with a reason only and a package, one that expires later.
  const std::string first = json_string(doc["tasks"][0]["vulnerabilities"][0]["id"]);
  const std::string second = json_string(doc["tasks"][1]["vulnerabilities"][0]["id"]);
  const std::string second_package = json_string(doc["tasks"][1]["package"]);
  write_file(*dir_ / "rules.yml",
             "suppressions:\n"
             "  - id: " +
                 first +
                 "\n"
                 "    reason: the affected code is not reachable from our routes\n"
                 "    vex_status: not_affected\n"
                 "    vex_justification: vulnerable_code_not_in_execute_path\n"
                 "  - id: " +
                 second +
                 "\n"
                 "    package: " +
                 second_package +
                 "\n"
                 "    reason: behind the WAF rule 4711\n"
                 "    expires: 2999-01-01\n");
  const std::string base = testing::Subprocess::slurp(config());
  write_file(*dir_ / "yaml.yml",
             base + "suppressions:\n  - " + (*dir_ / "rules.yml").string() + "\n");
  auto yaml = testing::run({PATCHPARTY_BIN, "backlog", "--state-dir", state().string(), "-c",
                            (*dir_ / "yaml.yml").string(), "--format", "json"},
                           *dir_);
  const auto by_yaml = suppressed_in(yaml.out);
  ASSERT_GE(by_yaml.size(), 2u) << yaml.out.substr(0, 2000);

  auto exported = testing::run({PATCHPARTY_BIN, "vex", "export", "--state-dir", state().string(),
                                "-c", (*dir_ / "yaml.yml").string(), "-o",
                                (*dir_ / "triage.json").string(), "--author", "ops team"},
                               *dir_);
  ASSERT_EQ(exported.code, 0) << exported.err;
  EXPECT_THAT(exported.err, HasSubstr(std::to_string(by_yaml.size()) + " statements"));
  EXPECT_THAT(exported.err, HasSubstr("1 from rules that expire"));
  const std::string vex = testing::Subprocess::slurp(*dir_ / "triage.json");
  EXPECT_THAT(vex, HasSubstr("\"@context\": \"https://openvex.dev/ns/v0.2.0\""));
  EXPECT_THAT(vex, HasSubstr("\"author\": \"ops team\""));
  EXPECT_THAT(vex, HasSubstr("vulnerable_code_not_in_execute_path"));
  EXPECT_THAT(vex, HasSubstr("behind the WAF rule 4711 (until 2999-01-0"));
  EXPECT_THAT(vex, HasSubstr("pkg:composer/"));

  write_file(*dir_ / "vex.yml",
             base + "suppressions:\n  - " + (*dir_ / "triage.json").string() + "\n");
  auto read_back = testing::run({PATCHPARTY_BIN, "backlog", "--state-dir", state().string(), "-c",
                                 (*dir_ / "vex.yml").string(), "--format", "json"},
                                *dir_);
  EXPECT_EQ(suppressed_in(read_back.out), by_yaml);
  EXPECT_TRUE(suppressed_in(all.out).empty());
}

TEST(BacklogDaemonStart, InvalidSuppressionsFileRefusesToStart) {
  auto dir = testing::temp_dir("badsup");
  fs::create_directories(dir / "shop");
  write_file(dir / "suppressions.yml",
             "suppressions:\n  - id: CVE-2021-41267\n    reason: \"\"\n    expires: someday\n");
  write_file(dir / "pp.yml",
             daemon_config(dir / "shop", testing::test_data("friendsofphp").lexically_normal(),
                           "  time_zone: UTC\n",
                           "suppressions:\n  - " + (dir / "suppressions.yml").string() + "\n"));
  auto r = testing::run(
      {PATCHPARTYD_BIN, "-c", (dir / "pp.yml").string(), "--state-dir", (dir / "state").string()},
      dir, std::nullopt, {}, 10s);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("invalid suppressions"));
  EXPECT_THAT(r.err, HasSubstr("suppressions.yml:"));
  EXPECT_FALSE(fs::exists(dir / "state" / "patchparty.db"));
  fs::remove_all(dir);
}

TEST(BacklogDaemonStart, InvalidPartyScheduleRefusesToStart) {
  auto dir = testing::temp_dir("badparty");
  fs::create_directories(dir / "shop");
  write_file(dir / "pp.yml",
             daemon_config(dir / "shop", testing::test_data("friendsofphp").lexically_normal(),
                           "  schedule: \"0 9 * * 2#7\"\n"));
  auto r = testing::run(
      {PATCHPARTYD_BIN, "-c", (dir / "pp.yml").string(), "--state-dir", (dir / "state").string()},
      dir, std::nullopt, {}, 10s);
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("party.schedule"));
  EXPECT_THAT(r.err, HasSubstr("2#7"));
  EXPECT_FALSE(fs::exists(dir / "state" / "patchparty.db"));

  write_file(dir / "pp.yml",
             daemon_config(dir / "shop", testing::test_data("friendsofphp").lexically_normal(),
                           "  time_zone: Mars/Olympus\n"));
  auto tz = testing::run(
      {PATCHPARTYD_BIN, "-c", (dir / "pp.yml").string(), "--state-dir", (dir / "state").string()},
      dir, std::nullopt, {}, 10s);
  EXPECT_EQ(tz.code, 2) << tz.err;
  EXPECT_THAT(tz.err, HasSubstr("party.time_zone"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace patchparty
