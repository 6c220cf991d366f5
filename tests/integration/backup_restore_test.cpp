// `patchparty backup` and `patchparty restore` against the real daemon: copies taken while
// patchpartyd ingests and rescans are whole and agree with its API, a restored state directory
// gives the same backlog under a second daemon, and every refusal leaves the current database
// as it was. Also: one daemon per state directory.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sqlite3.h>
#include <sys/mount.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <regex>
#include <thread>

#include "core/store/migrations.h"
#include "tests/support/loopback.h"
#include "tests/support/patchpartyd.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
namespace fs = std::filesystem;
using testing::file_bytes;
using testing::write_file;

// One integer from an SQLite file, through the C API so that nothing of patchparty is trusted.
std::int64_t query_int(const fs::path& db, const std::string& sql) {
  sqlite3* raw = nullptr;
  std::int64_t value = -1;
  if (sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(raw, sql.c_str(), -1, &st, nullptr) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
      value = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
  }
  sqlite3_close_v2(raw);
  return value;
}

std::string integrity(const fs::path& db) {
  sqlite3* raw = nullptr;
  std::string out;
  if (sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(raw, "PRAGMA integrity_check", -1, &st, nullptr) == SQLITE_OK)
      while (sqlite3_step(st) == SQLITE_ROW)
        out += reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
  }
  sqlite3_close_v2(raw);
  return out;
}

// A Debian 11 host and a Composer project, against the Debian DSA list, FriendsOfPHP, KEV and
// two OSV directories (Packagist and the npm malicious-packages set, for size).
// The API token (POST /api/v1/scan) lives beside the host root.
std::string daemon_config(int port, const fs::path& root) {
  return "listen: 127.0.0.1:" + std::to_string(port) +
         "\nlog_level: debug\nhost_name: backup-test\nshutdown_timeout: 3s\n"
         "api:\n  token_file: " +
         (root.parent_path() / "token").string() +
         "\n"
         "inventory:\n  root: " +
         root.string() +
         "\nprojects:\n  - name: demo\n    path: /srv/demo\n"
         "party:\n  schedule: '0 3 1 1 *'\n  time_zone: UTC\n  export_before: 1m\n"
         "feeds:\n"
         "  - kind: debian-dsa-list\n    only: [bullseye]\n    url: file://" +
         testing::test_data("debian/DSA-list.txt").string() +
         "\n  - kind: friendsofphp\n    url: file://" +
         testing::test_data("friendsofphp").string() + "\n  - kind: kev\n    url: file://" +
         testing::test_data("kev/known_exploited_vulnerabilities.json").string() +
         "\n  - kind: osv\n    name: osv-packagist\n    url: file://" +
         testing::test_data("osv/Packagist").string() +
         "\n  - kind: osv\n    name: osv-npm-malicious\n    url: file://" +
         testing::test_data("osv/npm-malicious").string() + "\n";
}

std::int64_t api_findings_count(int port) {
  auto r = testing::http_get(port, "/api/v1/findings");
  if (r.status != 200) return -1;
  rapidjson::Document doc;
  doc.Parse(r.body.c_str());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("count")) return -1;
  return doc["count"].GetInt64();
}

struct Daemon {
  std::unique_ptr<testing::Subprocess> process;
  int port = 0;
};

// Starts patchpartyd with its own config file and a free port.
Daemon start_daemon(const fs::path& dir, const fs::path& state, const fs::path& root,
                    std::string_view tag) {
  Daemon d;
  d.port = testing::free_port();
  const fs::path config = dir / ("pp-" + std::string(tag) + ".yml");
  write_file(config, daemon_config(d.port, root));
  d.process = std::make_unique<testing::Subprocess>(
      std::vector<std::string>{PATCHPARTYD_BIN, "-c", config.string(), "--state-dir",
                               state.string()},
      std::map<std::string, std::string>{}, dir / ("daemon-" + std::string(tag) + ".out"),
      dir / ("daemon-" + std::string(tag) + ".err"));
  return d;
}

// All five feeds have had a successful refresh.
bool every_feed_succeeded(int port) {
  auto r = testing::http_get(port, "/api/v1/feeds");
  if (r.status != 200) return false;
  rapidjson::Document doc;
  doc.Parse(r.body.c_str());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("feeds")) return false;
  const auto& feeds = doc["feeds"];
  if (!feeds.IsArray() || feeds.Size() < 5) return false;
  for (const auto& f : feeds.GetArray())
    if (!f.HasMember("last_success_at") || !f["last_success_at"].IsInt64() ||
        f["last_success_at"].GetInt64() <= 0)
      return false;
  return true;
}

// Every feed has its first success and the findings count has held still for two seconds:
// ingest and the rescan after it are done.
bool wait_settled(Daemon& d, std::chrono::seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  std::int64_t last = -1;
  auto since = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() < deadline && d.process->running()) {
    const bool all_fed = every_feed_succeeded(d.port);
    std::int64_t n = api_findings_count(d.port);
    if (!all_fed || n <= 0 || n != last) {
      last = n;
      since = std::chrono::steady_clock::now();
    } else if (std::chrono::steady_clock::now() - since > 2s) {
      return true;
    }
    std::this_thread::sleep_for(200ms);
  }
  return false;
}

testing::RunResult cli(const fs::path& dir, std::vector<std::string> args) {
  std::vector<std::string> argv = {PATCHPARTY_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  fs::create_directories(dir / "cli");
  return testing::run(argv, dir / "cli", std::nullopt, {}, 120s);
}

// The backlog as JSON, less what is not the store's content: the time of the request, and the
// restart check, which each daemon runs on the host when it starts.
rapidjson::Document backlog_json(const fs::path& dir, const fs::path& state) {
  auto r = cli(dir, {"backlog", "--format", "json", "--state-dir", state.string(), "-c",
                     (dir / "pp-main.yml").string()});
  EXPECT_TRUE(r.code == 0 || r.code == 1) << r.err;
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  EXPECT_FALSE(doc.HasParseError()) << r.out.substr(0, 500);
  if (doc.IsObject()) {
    doc.RemoveMember("generated_at");
    doc.RemoveMember("restart");
  }
  return doc;
}

class BackupRestore : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(fs::temp_directory_path() /
                        ("patchparty-backup-restore-" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    const fs::path root = *dir_ / "root";
    testing::write_bullseye_root(root);
    write_file(*dir_ / "token", "backup-test-token\n");
    fs::create_directories(root / "srv/demo");
    fs::copy_file(testing::test_data("lockfiles/symfony-demo-v1.7.1-composer.lock"),
                  root / "srv/demo/composer.lock");
    daemon_ = new Daemon(start_daemon(*dir_, state(), root, "main"));
    settled_ = wait_settled(*daemon_, 120s);
    findings_ = api_findings_count(daemon_->port);
  }
  static void TearDownTestSuite() {
    if (daemon_ && daemon_->process->running()) {
      daemon_->process->signal(SIGTERM);
      daemon_->process->wait(10s);
    }
    delete daemon_;
    fs::remove_all(*dir_);
    delete dir_;
  }
  void SetUp() override {
    ASSERT_TRUE(settled_) << "the daemon did not settle; log:\n" << daemon_->process->err();
    ASSERT_GT(findings_, 0);
  }

  static fs::path state() { return *dir_ / "state"; }
  static fs::path root() { return *dir_ / "root"; }
  static testing::RunResult backup(std::vector<std::string> extra) {
    std::vector<std::string> args = {"backup", "--state-dir", state().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return cli(*dir_, args);
  }

  static fs::path* dir_;
  static Daemon* daemon_;
  static bool settled_;
  static std::int64_t findings_;
};

fs::path* BackupRestore::dir_ = nullptr;
Daemon* BackupRestore::daemon_ = nullptr;
bool BackupRestore::settled_ = false;
std::int64_t BackupRestore::findings_ = 0;

TEST_F(BackupRestore, ASecondDaemonOnTheSameStateDirectoryExits2) {
  const fs::path config = *dir_ / "pp-second.yml";
  write_file(config, daemon_config(testing::free_port(), root()));
  testing::Subprocess second(
      {PATCHPARTYD_BIN, "-c", config.string(), "--state-dir", state().string()}, {},
      *dir_ / "second.out", *dir_ / "second.err");
  auto code = second.wait(20s);
  ASSERT_TRUE(code.has_value()) << "the second daemon kept running";
  EXPECT_EQ(*code, 2);
  EXPECT_THAT(second.err(), HasSubstr("state directory " + state().string() + " is in use"));
  EXPECT_THAT(second.err(), HasSubstr("(patchpartyd) holds"));
  EXPECT_THAT(second.err(), HasSubstr("only one patchpartyd may run per state directory"));
  EXPECT_TRUE(daemon_->process->running());
  EXPECT_EQ(api_findings_count(daemon_->port), findings_);
}

// Rescans (POST /api/v1/scan) and reloads (SIGHUP) keep the daemon committing while backups
// are taken; each one is whole and has the findings the API reports.
TEST_F(BackupRestore, BackupsTakenWhileTheDaemonWritesAreWholeAndAgreeWithTheApi) {
  std::atomic<bool> stop{false};
  std::atomic<int> scans_asked{0};
  std::thread busy([&] {
    while (!stop) {
      if (testing::http_request(daemon_->port, "POST", "/api/v1/scan",
                                {{"Authorization", "Bearer backup-test-token"}})
              .status == 202)
        ++scans_asked;
      daemon_->process->signal(SIGHUP);
      std::this_thread::sleep_for(50ms);
    }
  });
  std::vector<std::int64_t> scans;
  for (int i = 0; i < 5; ++i) {
    const fs::path copy = *dir_ / "live" / ("b" + std::to_string(i) + ".db");
    fs::create_directories(copy.parent_path());
    auto r = backup({copy.string()});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_THAT(r.out, HasSubstr("wrote " + copy.string()));
    EXPECT_THAT(r.out, HasSubstr("integrity_check ok"));
    std::cout << "backup " << i << " during rescans: " << r.out;
    EXPECT_EQ(integrity(copy), "ok");
    EXPECT_FALSE(fs::exists(copy.string() + "-wal"));
    EXPECT_EQ(query_int(copy, "SELECT count(*) FROM findings WHERE resolved_at IS NULL"),
              findings_);
    EXPECT_EQ(query_int(copy, "PRAGMA user_version"), store::code_schema_version());
    scans.push_back(query_int(copy, "SELECT count(*) FROM scans"));
    std::this_thread::sleep_for(300ms);  // let some scans land between backups
  }
  stop = true;
  busy.join();
  EXPECT_GT(scans_asked.load(), 0);
  EXPECT_TRUE(std::is_sorted(scans.begin(), scans.end()));
  EXPECT_GT(scans.back(), scans.front()) << "the daemon did not write during the backups";
  EXPECT_TRUE(daemon_->process->running());
  EXPECT_EQ(api_findings_count(daemon_->port), findings_);
}

TEST_F(BackupRestore, ReportsThroughputOfTheIngestedState) {
  const fs::path copy = *dir_ / "measure.db";
  auto r = backup({copy.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  std::cout << "measured: " << r.out;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.out, m, std::regex(R"(: (\d+) bytes, .*\(([0-9.]+) s, )")))
      << r.out;
  EXPECT_EQ(std::stoll(m[1]), static_cast<long long>(fs::file_size(copy)));
  ::testing::Test::RecordProperty("backup_bytes", m[1].str());
  ::testing::Test::RecordProperty("backup_seconds", m[2].str());
}

TEST_F(BackupRestore, AnExistingFileNeedsForceAndADirectoryGetsATimestampedFile) {
  const fs::path existing = *dir_ / "existing.db";
  write_file(existing, "not to be overwritten");
  auto refused = backup({existing.string()});
  EXPECT_EQ(refused.code, 2);
  EXPECT_THAT(refused.err, HasSubstr("--force"));
  EXPECT_EQ(file_bytes(existing), "not to be overwritten");

  auto forced = backup({existing.string(), "--force"});
  ASSERT_EQ(forced.code, 0) << forced.err;
  EXPECT_EQ(integrity(existing), "ok");

  const fs::path dir = *dir_ / "backups";
  fs::create_directories(dir);
  auto into_dir = backup({dir.string()});
  ASSERT_EQ(into_dir.code, 0) << into_dir.err;
  std::vector<fs::path> files(fs::directory_iterator(dir), fs::directory_iterator{});
  ASSERT_EQ(files.size(), 1u);
  EXPECT_TRUE(
      std::regex_match(files[0].filename().string(), std::regex(R"(patchparty-\d{8}T\d{6}Z\.db)")))
      << files[0];
  EXPECT_EQ(integrity(files[0]), "ok");
}

// A destination that fills up, then one that is read-only: exit 2, the reason, no file left.
TEST_F(BackupRestore, AFullOrReadOnlyDestinationFailsWithoutAPartialFile) {
  const fs::path small = *dir_ / "small";
  fs::create_directories(small);
  if (::mount("tmpfs", small.c_str(), "tmpfs", 0, "size=1m") != 0)
    GTEST_SKIP() << "cannot mount a tmpfs here (needs root)";
  struct Unmount {
    fs::path p;
    ~Unmount() { ::umount2(p.c_str(), MNT_DETACH); }
  } unmount{small};
  // The database file alone may still be small while its content sits in the -wal.
  const fs::path sized = *dir_ / "size-check.db";
  ASSERT_EQ(backup({sized.string()}).code, 0);
  ASSERT_GT(fs::file_size(sized), 1u << 20) << "the state is too small to fill the tmpfs";
  auto full = backup({(small / "x.db").string()});
  EXPECT_EQ(full.code, 2);
  EXPECT_THAT(full.err, HasSubstr("full"));
  EXPECT_TRUE(fs::is_empty(small)) << "left behind in " << small;

  ASSERT_EQ(::mount("tmpfs", small.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, "size=1m"), 0);
  auto read_only = backup({(small / "x.db").string()});
  EXPECT_EQ(read_only.code, 2);
  EXPECT_THAT(read_only.err, HasSubstr("Read-only file system"));
  EXPECT_TRUE(fs::is_empty(small));
}

TEST_F(BackupRestore, RestoreRefusesWhileTheDaemonRuns) {
  const fs::path copy = *dir_ / "for-live.db";
  ASSERT_EQ(backup({copy.string()}).code, 0);
  auto r = cli(*dir_, {"restore", copy.string(), "--state-dir", state().string(), "--force"});
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("stop patchpartyd first: systemctl stop patchpartyd"));
  for (const auto& e : fs::directory_iterator(state()))
    EXPECT_THAT(e.path().filename().string(), ::testing::Not(HasSubstr("before-restore")));
  EXPECT_TRUE(daemon_->process->running());
}

// The backup restored into a new state directory and run by a second daemon gives the same
// backlog as the original.
TEST_F(BackupRestore, ARestoredStateDirectoryGivesTheSameBacklog) {
  const fs::path copy = *dir_ / "to-restore.db";
  ASSERT_EQ(backup({copy.string()}).code, 0);
  const fs::path fresh = *dir_ / "restored-state";
  auto r = cli(*dir_, {"restore", copy.string(), "--state-dir", fresh.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("restored " + copy.string()));
  EXPECT_THAT(r.out, HasSubstr("systemctl start patchpartyd"));

  Daemon restored = start_daemon(*dir_, fresh, root(), "restored");
  ASSERT_TRUE(wait_settled(restored, 120s)) << restored.process->err();
  EXPECT_EQ(api_findings_count(restored.port), findings_);
  const rapidjson::Document original = backlog_json(*dir_, state());
  ASSERT_TRUE(original.IsObject() && original.HasMember("tasks"));
  EXPECT_GT(original["tasks"].Size(), 0u);
  const rapidjson::Document restored_backlog = backlog_json(*dir_, fresh);
  EXPECT_TRUE(restored_backlog == original)
      << "the restored state's backlog differs from the original's";
  restored.process->signal(SIGTERM);
  EXPECT_EQ(restored.process->wait(10s), std::optional<int>(0)) << restored.process->err();
}

// Restores that must not happen, into a stopped state directory: each exits 2 and leaves the
// current database byte for byte as it was.
TEST_F(BackupRestore, RefusedRestoresLeaveTheCurrentDatabaseUntouched) {
  const fs::path good = *dir_ / "good.db";
  ASSERT_EQ(backup({good.string()}).code, 0);
  const fs::path target = *dir_ / "target-state";
  ASSERT_EQ(cli(*dir_, {"restore", good.string(), "--state-dir", target.string()}).code, 0);
  const fs::path db = target / "patchparty.db";
  const std::string before = file_bytes(db);

  const std::string whole = file_bytes(good);
  write_file(*dir_ / "truncated.db", whole.substr(0, whole.size() / 2));
  write_file(*dir_ / "text.db", std::string(10000, 'x'));
  fs::copy_file(good, *dir_ / "newer.db");
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open((*dir_ / "newer.db").c_str(), &raw), SQLITE_OK);
    const std::string sql =
        "PRAGMA user_version = " + std::to_string(store::code_schema_version() + 1);
    EXPECT_EQ(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(raw);
  }
  struct Case {
    fs::path source;
    bool force;
    std::string why;
  };
  const std::string newer = std::to_string(store::code_schema_version() + 1);
  const std::string known = std::to_string(store::code_schema_version());
  for (const Case& c : std::vector<Case>{
           {good, false, "exists; pass --force"},
           {*dir_ / "truncated.db", true, "truncated.db"},
           {*dir_ / "text.db", true, "not an SQLite database"},
           {*dir_ / "newer.db", true,
            "schema version " + newer + " is newer than this patchparty (" + known + ")"},
       }) {
    std::vector<std::string> args = {"restore", c.source.string(), "--state-dir", target.string()};
    if (c.force) args.push_back("--force");
    auto r = cli(*dir_, args);
    EXPECT_EQ(r.code, 2) << c.source << "\n" << r.out;
    EXPECT_THAT(r.err, HasSubstr(c.why)) << c.source;
    EXPECT_TRUE(file_bytes(db) == before) << "changed by restoring " << c.source;
    for (const auto& e : fs::directory_iterator(target)) {
      const std::string name = e.path().filename().string();
      EXPECT_TRUE(name == "patchparty.db" || name == "patchpartyd.lock") << name;
    }
  }

  // And with --force, a good one goes in and the old one is kept.
  auto ok = cli(*dir_, {"restore", good.string(), "--state-dir", target.string(), "--force"});
  ASSERT_EQ(ok.code, 0) << ok.err;
  EXPECT_THAT(ok.out,
              HasSubstr("the previous database is kept as " + db.string() + ".before-restore-"));
}

}  // namespace
}  // namespace patchparty
