#include "core/store/store.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <iterator>
#include <string>
#include <tuple>

#include "core/store/migrations.h"
#include "tests/support/scratch_files.h"
#include "tests/support/test_data.h"

namespace patchparty::store {
namespace {

namespace fs = std::filesystem;
using testing::file_bytes;

auto fields(const Package& p) {
  return std::tie(p.ecosystem, p.name, p.version, p.source_name, p.source_version, p.arch, p.origin,
                  p.project, p.location, p.dev, p.optional, p.supplier, p.third_party,
                  p.supplier_newest, p.module_stream);
}

void expect_same_packages(const std::vector<Package>& got, const std::vector<Package>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(fields(got[i]), fields(want[i])) << i;
}

std::vector<Package> concat(std::vector<Package> a, const std::vector<Package>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// `n` dpkg-like packages whose versions carry `tag`, so two snapshots are told apart.
std::vector<Package> debian_packages(int n, std::string_view tag) {
  std::vector<Package> out;
  for (int i = 0; i < n; ++i) {
    Package& p = out.emplace_back();
    p.ecosystem = "Debian:12";
    p.name = "lib" + std::to_string(i);
    p.version = "1." + std::to_string(i) + "-" + std::string(tag);
    p.source_name = "src" + std::to_string(i / 3);
    p.source_version = p.version;
    p.arch = i % 2 ? "amd64" : "all";
    p.origin = "dpkg";
  }
  return out;
}

std::vector<Package> npm_packages(std::string_view project, int n) {
  std::vector<Package> out;
  for (int i = 0; i < n; ++i) {
    Package& p = out.emplace_back();
    p.ecosystem = "npm";
    p.name = "@scope/pkg-" + std::to_string(i);
    p.version = "2.0." + std::to_string(i);
    p.source_name = p.name;
    p.source_version = p.version;
    p.origin = "npm";
    p.project = std::string(project);
    p.location = "/srv/" + std::string(project) + "/package-lock.json#node_modules/" + p.name;
    p.dev = i % 2 == 0;
    p.optional = i % 3 == 0;
  }
  return out;
}

// The first column of the first row `sql` gives, read as text; empty when there is none.
std::string first_text(const fs::path& state_dir, std::string_view sql) {
  auto db = Database::open(Store::database_file(state_dir), Database::Mode::read_only);
  EXPECT_OK(db);
  if (!db) return {};
  auto st = db->prepare(sql);
  EXPECT_OK(st);
  if (!st) return {};
  if (!st->step().value_or(false)) {
    ADD_FAILURE() << sql << ": no row";
    return {};
  }
  return st->column_text(0);
}

std::int64_t count(const fs::path& state_dir, std::string_view sql) {
  auto db = Database::open(Store::database_file(state_dir), Database::Mode::read_only);
  EXPECT_OK(db);
  if (!db) return -1;
  auto n = db->query_int64(sql);
  EXPECT_OK(n);
  return n.value_or(-1);
}

TEST(Store, OpenCreatesTheStateDirectoryAndMigrates) {
  auto dir = testing::temp_dir("create") / "nested" / "state";
  auto store = Store::open(dir);
  ASSERT_OK(store);
  EXPECT_TRUE(fs::exists(dir / "patchparty.db"));
  EXPECT_EQ(store->file(), dir / "patchparty.db");
  EXPECT_EQ(store->schema_version().value_or(-1), code_schema_version());
  EXPECT_FALSE(store->read_only());
  auto latest = store->latest_inventory();
  ASSERT_OK(latest);
  EXPECT_TRUE(latest->empty());
}

TEST(Store, WalModeIsActive) {
  auto dir = testing::temp_dir("wal");
  auto store = Store::open(dir);
  ASSERT_OK(store);
  ASSERT_OK(store->save_inventory("dpkg", "", debian_packages(3, "a"), 100));
  EXPECT_TRUE(fs::exists(dir / "patchparty.db-wal"));
  EXPECT_TRUE(fs::exists(dir / "patchparty.db-shm"));
  EXPECT_EQ(first_text(dir, "PRAGMA journal_mode"), "wal");
}

TEST(Store, RoundTripsEveryPackageField) {
  auto dir = testing::temp_dir("roundtrip");
  std::vector<Package> packages = {
      {"Debian:12", "libssl3", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2", "amd64", "dpkg",
       "", "/var/lib/dpkg/status", false, false, "Debian"},
      {"Debian:12", "nginx", "1.26.2-1~bookworm", "nginx", "1.26.2-1~bookworm", "amd64", "dpkg", "",
       "/var/lib/dpkg/status", false, false, "nginx", true, "1.26.3-1~bookworm"},
      {"AlmaLinux:8", "perl", "4:5.32.1-471.module_el8.6.0+2766+8bf0b7ce", "perl",
       "4:5.32.1-471.module_el8.6.0+2766+8bf0b7ce", "x86_64", "rpm", "", "/var/lib/rpm/Packages",
       false, false, "", false, "", "perl:5.32"},
      {"Packagist", "symfony/http-kernel", "v6.4.1", "symfony/http-kernel", "v6.4.1", "",
       "composer", "shop", "/srv/shop/composer.lock", true, false},
      {"npm", "fsevents", "2.3.3", "fsevents", "2.3.3", "", "npm", "web",
       "/srv/web/package-lock.json#node_modules/fsevents", true, true},
      {"npm", "naïve-ünicode", "1.0.0-β.1", "naïve-ünicode", "1.0.0-β.1", "", "npm", "web",
       "node_modules/a'quote\"s", false, true},
  };
  std::int64_t id = 0;
  {
    auto store = Store::open(dir);
    ASSERT_OK(store);
    auto saved = store->save_inventory("mixed", "", packages, 1'700'000'000);
    ASSERT_OK(saved);
    id = *saved;
  }
  auto store = Store::open(dir);  // from disk, not from a cache
  ASSERT_OK(store);
  auto latest = store->latest_inventory();
  ASSERT_OK(latest);
  expect_same_packages(*latest, packages);
  auto by_id = store->inventory(id);
  ASSERT_OK(by_id);
  expect_same_packages(*by_id, packages);

  auto snaps = store->snapshots();
  ASSERT_OK(snaps);
  ASSERT_EQ(snaps->size(), 1u);
  EXPECT_EQ((*snaps)[0].id, id);
  EXPECT_EQ((*snaps)[0].taken_at, 1'700'000'000);
  EXPECT_EQ((*snaps)[0].source, "mixed");
  EXPECT_EQ((*snaps)[0].project, "");
  EXPECT_EQ((*snaps)[0].package_count, 6);
  EXPECT_TRUE((*snaps)[0].ok);
  EXPECT_EQ((*snaps)[0].error, "");
}

TEST(Store, EmptySnapshotIsAValidInventory) {
  auto dir = testing::temp_dir("empty");
  auto store = Store::open(dir);
  ASSERT_OK(store);
  ASSERT_OK(store->save_inventory("npm", "web", npm_packages("web", 3), 1));
  // The project dropped all its dependencies: the latest state is "none", not the old three.
  ASSERT_OK(store->save_inventory("npm", "web", {}, 2));
  auto latest = store->latest_inventory();
  ASSERT_OK(latest);
  EXPECT_TRUE(latest->empty());
}

TEST(Store, LatestIsTheNewestSuccessfulSnapshotOfEachSourceAndProject) {
  auto dir = testing::temp_dir("latest");
  auto store = Store::open(dir);
  ASSERT_OK(store);
  auto old_dpkg = debian_packages(5, "old");
  auto new_dpkg = debian_packages(6, "new");
  auto web = npm_packages("web", 4);
  auto api = npm_packages("api", 2);
  ASSERT_OK(store->save_inventory("dpkg", "", old_dpkg, 100));
  ASSERT_OK(store->save_inventory("npm", "web", web, 100));
  // An earlier taken_at (the clock stepped back) is still the newer snapshot: saving order counts.
  ASSERT_OK(store->save_inventory("dpkg", "", new_dpkg, 50));
  ASSERT_OK(store->save_inventory("npm", "api", api, 110));
  ASSERT_OK(store->record_inventory_failure("dpkg", "", "status: line 3: no Package field", 120));
  ASSERT_OK(store->record_inventory_failure("composer", "shop", "composer.lock: not JSON", 120));

  auto latest = store->latest_inventory();
  ASSERT_OK(latest);
  expect_same_packages(*latest, concat(concat(web, new_dpkg), api));
}

TEST(Store, FailureIsRecordedAndKeepsTheLastGoodSnapshot) {
  auto dir = testing::temp_dir("failure");
  auto store = Store::open(dir);
  ASSERT_OK(store);
  auto good = debian_packages(4, "good");
  ASSERT_OK(store->save_inventory("dpkg", "", good, 100));
  ASSERT_OK(store->record_inventory_failure("dpkg", "", "status: permission denied", 200));
  ASSERT_OK(store->record_inventory_failure("dpkg", "", "", 300));

  auto snaps = store->snapshots({.source = "dpkg"});
  ASSERT_OK(snaps);
  ASSERT_EQ(snaps->size(), 3u);
  EXPECT_FALSE((*snaps)[0].ok);
  EXPECT_EQ((*snaps)[0].error, "unknown error");  // never an empty error on a failed run
  EXPECT_EQ((*snaps)[1].error, "status: permission denied");
  EXPECT_EQ((*snaps)[1].taken_at, 200);
  EXPECT_EQ((*snaps)[1].package_count, 0);
  EXPECT_TRUE((*snaps)[2].ok);
  auto latest = store->latest_inventory();
  ASSERT_OK(latest);
  expect_same_packages(*latest, good);
}

TEST(Store, FailureMessageIsBounded) {
  auto dir = testing::temp_dir("long-error");
  auto store = Store::open(dir);
  ASSERT_OK(store);
  std::string huge = "x";
  for (int i = 0; i < 5000; ++i) huge += "\u00e9";  // two bytes each: byte 4096 is the second
  ASSERT_OK(store->record_inventory_failure("npm", "web", huge, 1));
  auto snaps = store->snapshots();
  ASSERT_OK(snaps);
  ASSERT_EQ(snaps->size(), 1u);
  const std::string& kept = (*snaps)[0].error;
  EXPECT_EQ(kept.size(), 4095u);  // 4096 would end inside a character
  EXPECT_TRUE(kept == huge.substr(0, 4095));
}

TEST(Store, SnapshotsFiltersAndLimitsNewestFirst) {
  auto dir = testing::temp_dir("filter");
  auto store = Store::open(dir);
  ASSERT_OK(store);
  for (int i = 0; i < 5; ++i) ASSERT_OK(store->save_inventory("dpkg", "", {}, i));
  ASSERT_OK(store->save_inventory("npm", "web", {}, 10));
  ASSERT_OK(store->save_inventory("npm", "api", {}, 11));

  auto all = store->snapshots({.limit = 0});
  ASSERT_OK(all);
  EXPECT_EQ(all->size(), 7u);
  auto dpkg = store->snapshots({.source = "dpkg", .limit = 2});
  ASSERT_OK(dpkg);
  ASSERT_EQ(dpkg->size(), 2u);
  EXPECT_EQ((*dpkg)[0].taken_at, 4);
  EXPECT_EQ((*dpkg)[1].taken_at, 3);
  auto web = store->snapshots({.source = "npm", .project = "web"});
  ASSERT_OK(web);
  ASSERT_EQ(web->size(), 1u);
  EXPECT_EQ((*web)[0].project, "web");
  auto host = store->snapshots({.project = ""});
  ASSERT_OK(host);
  EXPECT_EQ(host->size(), 5u);
}

TEST(Store, UnknownSnapshotIsNotFound) {
  auto dir = testing::temp_dir("unknown");
  auto store = Store::open(dir);
  ASSERT_OK(store);
  EXPECT_ERRC(store->inventory(12345), Errc::not_found);
}

TEST(Store, ConstraintErrorMidSaveKeepsThePreviousSnapshot) {
  auto dir = testing::temp_dir("constraint");
  auto store = Store::open(dir);
  ASSERT_OK(store);
  auto good = debian_packages(10, "good");
  ASSERT_OK(store->save_inventory("dpkg", "", good, 100));

  auto bad = debian_packages(1000, "bad");
  bad[500].name.clear();  // rejected by the schema after 500 rows are already in
  auto r = store->save_inventory("dpkg", "", bad, 200);
  EXPECT_ERRC(r, Errc::invalid_argument);
  EXPECT_NE(r.error().message.find("save inventory dpkg: package 500 '' 1.500-bad: "),
            std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("CHECK constraint failed"), std::string::npos);

  auto latest = store->latest_inventory();
  ASSERT_OK(latest);
  expect_same_packages(*latest, good);
  EXPECT_EQ(store->snapshots().value_or(std::vector<SnapshotInfo>{}).size(), 1u);
  EXPECT_EQ(count(dir, "SELECT count(*) FROM inventory_packages"), 10);
  // The store is usable afterwards: the failed transaction did not stay open.
  EXPECT_OK(store->save_inventory("dpkg", "", debian_packages(2, "next"), 300));
}

TEST(Store, WriterKilledMidTransactionLeavesThePreviousSnapshot) {
  auto dir = testing::temp_dir("killed");
  auto good = debian_packages(50, "good");
  {
    auto store = Store::open(dir);
    ASSERT_OK(store);
    ASSERT_OK(store->save_inventory("dpkg", "", good, 100));
  }  // closed: the child must not inherit an open connection

  pid_t child = fork();
  ASSERT_NE(child, -1);
  if (child == 0) {
    // Only async-signal-safe exits from here: no gtest, no destructors.
    auto db = Database::open(Store::database_file(dir));
    if (!db) _exit(3);
    // A tiny page cache makes SQLite spill uncommitted pages into the -wal file, so the crash
    // leaves real half-written data behind, not just an empty journal.
    if (!db->exec("PRAGMA cache_size = 8")) _exit(4);
    auto tx = Transaction::begin(*db);
    if (!tx) _exit(5);
    if (!db->exec(
            "INSERT INTO inventory_snapshots (taken_at, source, project, package_count, ok) "
            "VALUES (200, 'dpkg', '', 20000, 1);"
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) "
            "INSERT INTO inventory_packages (snapshot_id, ecosystem, name, version, location) "
            "SELECT (SELECT max(id) FROM inventory_snapshots), 'Debian:12', 'half' || i, "
            "'9.9', printf('%.200c', 'x') FROM n")) {
      _exit(6);
    }
    std::raise(SIGKILL);
    _exit(7);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status)) << "child exited with " << WEXITSTATUS(status);
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
  EXPECT_GT(fs::file_size(dir / "patchparty.db-wal"), 100'000u) << "uncommitted pages on disk";

  auto store = Store::open(dir);
  ASSERT_OK(store);
  auto latest = store->latest_inventory();
  ASSERT_OK(latest);
  expect_same_packages(*latest, good);
  EXPECT_EQ(store->snapshots().value_or(std::vector<SnapshotInfo>{}).size(), 1u);
  EXPECT_EQ(count(dir, "SELECT count(*) FROM inventory_packages"), 50);
  EXPECT_EQ(first_text(dir, "PRAGMA integrity_check"), "ok");
}

TEST(Store, FullDatabaseIsResourceExhaustedAndKeepsThePreviousSnapshot) {
  auto dir = testing::temp_dir("full");
  auto store = Store::open(dir, {.max_bytes = 256 * 1024});
  ASSERT_OK(store);
  auto good = debian_packages(20, "good");
  ASSERT_OK(store->save_inventory("dpkg", "", good, 100));

  auto big = npm_packages(std::string(300, 'p'), 3000);  // about 2 MB of locations
  auto r = store->save_inventory("npm", "web", big, 200);
  EXPECT_ERRC(r, Errc::resource_exhausted);
  EXPECT_NE(r.error().message.find("database or disk is full"), std::string::npos)
      << r.error().message;

  auto latest = store->latest_inventory();
  ASSERT_OK(latest);
  expect_same_packages(*latest, good);
  EXPECT_EQ(store->snapshots().value_or(std::vector<SnapshotInfo>{}).size(), 1u);
}

TEST(Store, PruneKeepsTheNewestSnapshotsOfEachSourceAndProject) {
  auto dir = testing::temp_dir("prune");
  auto store = Store::open(dir);
  ASSERT_OK(store);
  for (int i = 0; i < 40; ++i) {
    ASSERT_OK(store->save_inventory("dpkg", "", debian_packages(3, std::to_string(i)), i));
  }
  for (int i = 0; i < 5; ++i)
    ASSERT_OK(store->save_inventory("npm", "web", npm_packages("w", 2), i));
  for (int i = 0; i < 35; ++i) ASSERT_OK(store->save_inventory("npm", "api", {}, i));

  auto deleted = store->prune_snapshots(30);
  ASSERT_OK(deleted);
  EXPECT_EQ(*deleted, 10 + 5);

  auto dpkg = store->snapshots({.source = "dpkg", .limit = 0});
  ASSERT_OK(dpkg);
  ASSERT_EQ(dpkg->size(), 30u);
  EXPECT_EQ(dpkg->front().taken_at, 39);
  EXPECT_EQ(dpkg->back().taken_at, 10);
  EXPECT_EQ(
      store->snapshots({.project = "web", .limit = 0}).value_or(std::vector<SnapshotInfo>{}).size(),
      5u);
  EXPECT_EQ(
      store->snapshots({.project = "api", .limit = 0}).value_or(std::vector<SnapshotInfo>{}).size(),
      30u);
  // Packages of the pruned snapshots went with them (ON DELETE CASCADE).
  EXPECT_EQ(count(dir, "SELECT count(*) FROM inventory_packages"), 30 * 3 + 5 * 2);
  auto latest = store->latest_inventory();
  ASSERT_OK(latest);
  expect_same_packages(*latest, concat(debian_packages(3, "39"), npm_packages("w", 2)));

  auto again = store->prune_snapshots(30);
  ASSERT_OK(again);
  EXPECT_EQ(*again, 0);
}

TEST(Store, PruneNeverDropsTheNewestSuccessfulSnapshot) {
  auto dir = testing::temp_dir("prune-failures");
  auto store = Store::open(dir);
  ASSERT_OK(store);
  auto good = debian_packages(3, "good");
  ASSERT_OK(store->save_inventory("dpkg", "", debian_packages(3, "older"), 1));
  ASSERT_OK(store->save_inventory("dpkg", "", good, 2));
  for (int i = 0; i < 5; ++i) {
    ASSERT_OK(store->record_inventory_failure("dpkg", "", "dpkg is locked", 10 + i));
  }
  auto deleted = store->prune_snapshots(3);
  ASSERT_OK(deleted);
  EXPECT_EQ(*deleted, 3);  // the older good one and the two oldest failures
  auto snaps = store->snapshots({.limit = 0});
  ASSERT_OK(snaps);
  ASSERT_EQ(snaps->size(), 4u);
  EXPECT_TRUE(snaps->back().ok);
  EXPECT_EQ(snaps->back().taken_at, 2);
  auto latest = store->latest_inventory();
  ASSERT_OK(latest);
  expect_same_packages(*latest, good);
}

TEST(Store, PruneRefusesToKeepNothing) {
  auto dir = testing::temp_dir("prune-zero");
  auto store = Store::open(dir);
  ASSERT_OK(store);
  EXPECT_ERRC(store->prune_snapshots(0), Errc::invalid_argument);
}

TEST(Store, ReadOnlyOpenOfAMissingDatabaseIsNotFoundAndCreatesNothing) {
  auto dir = testing::temp_dir("ro-missing");
  auto store = Store::open_read_only(dir / "state");
  EXPECT_ERRC(store, Errc::not_found);
  EXPECT_NE(
      store.error().message.find((dir / "state" / "patchparty.db").string() + ": no database"),
      std::string::npos)
      << store.error().message;
  EXPECT_FALSE(fs::exists(dir / "state"));
}

TEST(Store, ReaderSeesTheWritersCommitsAndCannotWrite) {
  auto dir = testing::temp_dir("reader");
  auto writer = Store::open(dir);
  ASSERT_OK(writer);
  auto first = debian_packages(3, "first");
  ASSERT_OK(writer->save_inventory("dpkg", "", first, 1));

  auto reader = Store::open_read_only(dir);
  ASSERT_OK(reader);
  EXPECT_TRUE(reader->read_only());
  auto seen = reader->latest_inventory();
  ASSERT_OK(seen);
  expect_same_packages(*seen, first);

  auto second = debian_packages(4, "second");
  ASSERT_OK(writer->save_inventory("dpkg", "", second, 2));
  seen = reader->latest_inventory();
  ASSERT_OK(seen);
  expect_same_packages(*seen, second);

  EXPECT_ERRC(reader->save_inventory("dpkg", "", first, 3), Errc::failed_precondition);
  EXPECT_ERRC(reader->record_inventory_failure("dpkg", "", "x", 3), Errc::failed_precondition);
  EXPECT_ERRC(reader->prune_snapshots(1), Errc::failed_precondition);
}

TEST(Store, ReadOnlyOpenRefusesAnOlderSchemaWithoutMigrating) {
  auto dir = testing::temp_dir("ro-older");
  {
    auto db = Database::open(Store::database_file(dir));  // created, never migrated: version 0
    ASSERT_OK(db);
    ASSERT_OK(db->exec("PRAGMA user_version = 0"));
  }
  auto store = Store::open_read_only(dir);
  EXPECT_ERRC(store, Errc::failed_precondition);
  EXPECT_EQ(store.error().message, Store::database_file(dir).string() +
                                       ": schema version 0 is older than this patchparty (" +
                                       std::to_string(code_schema_version()) +
                                       "); start patchpartyd of this version once to migrate it");
  auto db = Database::open(Store::database_file(dir), Database::Mode::read_only);
  ASSERT_OK(db);
  EXPECT_EQ(db->query_int64("SELECT count(*) FROM sqlite_schema").value_or(-1), 0);
}

TEST(Store, ReadOnlyOpenRefusesAnotherProgramsDatabase) {
  auto dir = testing::temp_dir("ro-foreign");
  {
    auto db = Database::open(Store::database_file(dir));
    ASSERT_OK(db);
    ASSERT_OK(db->exec("CREATE TABLE users (name TEXT)"));
  }
  auto store = Store::open_read_only(dir);
  EXPECT_ERRC(store, Errc::failed_precondition);
  EXPECT_NE(store.error().message.find("not a patchparty database"), std::string::npos)
      << store.error().message;
}

TEST(Store, NewerSchemaIsRefusedByWriterAndReaderAndLeftUntouched) {
  auto dir = testing::temp_dir("newer");
  const fs::path file = Store::database_file(dir);
  const int newer = code_schema_version() + 6;
  {
    auto db = Database::open(file);
    ASSERT_OK(db);
    ASSERT_OK(db->exec("PRAGMA journal_mode = WAL; CREATE TABLE t (x); PRAGMA user_version = " +
                       std::to_string(newer)));
  }
  const std::string bytes = file_bytes(file);
  const auto mtime = fs::last_write_time(file);
  const std::string expected = file.string() + ": schema version " + std::to_string(newer) +
                               " is newer than this patchparty (" +
                               std::to_string(code_schema_version()) +
                               "); upgrade patchparty or restore a backup";

  auto writer = Store::open(dir);
  EXPECT_ERRC(writer, Errc::failed_precondition);
  EXPECT_EQ(writer.error().message, expected);
  auto reader = Store::open_read_only(dir);
  EXPECT_ERRC(reader, Errc::failed_precondition);
  EXPECT_EQ(reader.error().message, expected);

  EXPECT_EQ(file_bytes(file), bytes);
  EXPECT_EQ(fs::last_write_time(file), mtime);
  EXPECT_FALSE(fs::exists(dir / "patchparty.db-wal"));
  EXPECT_FALSE(fs::exists(dir / "patchparty.db-shm"));
}

TEST(Store, ReopenIsIdempotent) {
  auto dir = testing::temp_dir("reopen");
  auto packages = debian_packages(7, "x");
  {
    auto store = Store::open(dir);
    ASSERT_OK(store);
    ASSERT_OK(store->save_inventory("dpkg", "", packages, 1));
  }
  for (int i = 0; i < 3; ++i) {
    auto store = Store::open(dir);
    ASSERT_OK(store);
    EXPECT_EQ(store->schema_version().value_or(-1), code_schema_version());
    auto latest = store->latest_inventory();
    ASSERT_OK(latest);
    expect_same_packages(*latest, packages);
  }
}

}  // namespace
}  // namespace patchparty::store
