#include "core/store/migrations.h"

#include <gtest/gtest.h>

#include <sys/inotify.h>
#include <unistd.h>

#include <array>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "tests/support/scratch_files.h"
#include "tests/support/test_data.h"

namespace patchparty::store {
namespace {

namespace fs = std::filesystem;
using testing::file_bytes;

std::set<std::string> table_names(Database& db) {
  std::set<std::string> names;
  auto q = db.prepare("SELECT name FROM sqlite_schema WHERE type IN ('table', 'index')");
  EXPECT_OK(q);
  if (!q) return names;
  while (true) {
    auto row = q->step();
    EXPECT_OK(row);
    if (!row || !*row) break;
    names.insert(q->column_text(0));
  }
  return names;
}

std::string text_pragma(Database& db, std::string_view pragma) {
  auto q = db.prepare("PRAGMA " + std::string(pragma));
  EXPECT_OK(q);
  if (!q) return {};
  auto row = q->step();
  EXPECT_OK(row);
  return row && *row ? q->column_text(0) : std::string();
}

// Records every change to the entries of a directory, so that even a -wal file created and removed
// again, or the database merely opened for writing, is seen.
class DirectoryWatch {
 public:
  explicit DirectoryWatch(const fs::path& dir) : fd_(inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
    EXPECT_GE(fd_, 0);
    EXPECT_GE(inotify_add_watch(fd_, dir.c_str(),
                                IN_CREATE | IN_DELETE | IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE |
                                    IN_MOVED_TO | IN_MOVED_FROM),
              0);
  }
  ~DirectoryWatch() { close(fd_); }
  DirectoryWatch(const DirectoryWatch&) = delete;
  DirectoryWatch& operator=(const DirectoryWatch&) = delete;

  // "name:mask" for each event since construction.
  std::vector<std::string> events() const {
    std::vector<std::string> out;
    alignas(inotify_event) char buffer[4096];
    ssize_t n;
    while ((n = read(fd_, buffer, sizeof buffer)) > 0) {
      for (char* p = buffer; p < buffer + n;) {
        const auto* e = reinterpret_cast<const inotify_event*>(p);
        out.push_back(std::string(e->len ? e->name : "") + ":" + std::to_string(e->mask));
        p += sizeof(inotify_event) + e->len;
      }
    }
    return out;
  }

 private:
  int fd_;
};

// A database left by a future patchparty: some schema and user_version 7.
void write_future_database(const fs::path& file, bool wal) {
  auto db = Database::open(file);
  ASSERT_OK(db);
  if (wal) {
    ASSERT_OK(db->exec("PRAGMA journal_mode = WAL"));
  }
  ASSERT_OK(
      db->exec("CREATE TABLE from_the_future (x); INSERT INTO from_the_future VALUES (1);"
               "PRAGMA user_version = 7"));
}

constexpr std::array kFiveMigrations{
    Migration{1, "CREATE TABLE one (x)"},   Migration{2, "CREATE TABLE two (x)"},
    Migration{3, "CREATE TABLE three (x)"}, Migration{4, "CREATE TABLE four (x)"},
    Migration{5, "CREATE TABLE five (x)"},
};

TEST(Migrations, ListIsNumberedFromOne) {
  auto list = schema_migrations();
  ASSERT_FALSE(list.empty());
  for (std::size_t i = 0; i < list.size(); ++i) EXPECT_EQ(list[i].version, int(i) + 1);
  EXPECT_EQ(code_schema_version(), list.back().version);
}

TEST(Migrations, MigratesAnEmptyFileToTheCodeVersion) {
  auto dir = testing::temp_dir("empty");
  auto db = open_for_writing(dir / "p.db");
  ASSERT_OK(db);
  EXPECT_EQ(*schema_version(*db), code_schema_version());
  auto names = table_names(*db);
  for (const char* table : {"meta", "inventory_snapshots", "inventory_packages", "feed_state",
                            "inventory_snapshots_by_source", "inventory_packages_by_snapshot",
                            "inventory_packages_by_name"}) {
    EXPECT_TRUE(names.contains(table)) << table;
  }
  EXPECT_EQ(text_pragma(*db, "journal_mode"), "wal");
  EXPECT_EQ(*db->query_int64("PRAGMA application_id"), kApplicationId);
  EXPECT_EQ(*db->query_int64("PRAGMA synchronous"), 1);  // NORMAL
  EXPECT_EQ(*db->query_int64("PRAGMA foreign_keys"), 1);
  EXPECT_EQ(*db->query_int64("PRAGMA journal_size_limit"), 64 << 20);
  EXPECT_TRUE(fs::exists(dir / "p.db-wal"));
  EXPECT_EQ(text_pragma(*db, "integrity_check"), "ok");
}

TEST(Migrations, SchemaEnforcesForeignKeysAndChecks) {
  auto dir = testing::temp_dir("fk");
  auto db = open_for_writing(dir / "p.db");
  ASSERT_OK(db);
  EXPECT_ERRC(db->exec("INSERT INTO inventory_packages (snapshot_id, ecosystem, name, version) "
                       "VALUES (42, 'npm', 'left-pad', '1.0.0')"),
              Errc::invalid_argument);
  EXPECT_ERRC(db->exec("INSERT INTO inventory_snapshots (taken_at, source, ok) VALUES (1, 'dpkg', "
                       "0)"),  // a failure without its error
              Errc::invalid_argument);
  EXPECT_ERRC(db->exec("INSERT INTO inventory_snapshots (taken_at, source, ok) VALUES (1, '', 1)"),
              Errc::invalid_argument);
}

TEST(Migrations, ReopenIsIdempotentAndKeepsData) {
  auto dir = testing::temp_dir("reopen");
  {
    auto db = open_for_writing(dir / "p.db");
    ASSERT_OK(db);
    ASSERT_OK(db->exec("INSERT INTO meta VALUES ('k', 'v')"));
  }
  for (int i = 0; i < 2; ++i) {
    auto db = open_for_writing(dir / "p.db");
    ASSERT_OK(db);
    EXPECT_EQ(*schema_version(*db), code_schema_version());
    EXPECT_EQ(*db->query_int64("SELECT count(*) FROM meta WHERE key = 'k' AND value = 'v'"), 1);
  }
}

// Packages saved before suppliers were known read as the distribution's, with no supplier.
TEST(Migrations, SupplierColumnsDefaultForPackagesSavedBefore) {
  auto db = Database::open(":memory:");
  ASSERT_OK(db);
  ASSERT_OK(migrate(*db, schema_migrations().first(5)));
  ASSERT_OK(
      db->exec("INSERT INTO inventory_snapshots (id, taken_at, source, ok) VALUES (1, 1, "
               "'dpkg', 1); INSERT INTO inventory_packages (snapshot_id, ecosystem, name, "
               "version) VALUES (1, 'Debian:12', 'nginx', '1.22.1-9')"));
  ASSERT_OK(migrate(*db, schema_migrations()));
  EXPECT_EQ(*db->query_int64("SELECT count(*) FROM inventory_packages WHERE supplier = '' AND "
                             "third_party = 0 AND supplier_newest = ''"),
            1);
  EXPECT_FALSE(db->exec("UPDATE inventory_packages SET third_party = 2"));
}

TEST(Migrations, AdvisoryIndexNamesAreRespeltAsTheirEcosystemComparesThem) {
  auto db = Database::open(":memory:");
  ASSERT_OK(db);
  ASSERT_OK(migrate(*db, schema_migrations().first(6)));
  ASSERT_OK(db->exec(
      "INSERT INTO advisories (id, feed, advisory_id, modified, withdrawn, aliases, record) "
      "VALUES (1, 'osv', 'PYSEC-1', '', 0, '[]', '{}'), (2, 'osv', 'GHSA-1', '', 0, '[]', '{}');"
      "INSERT INTO advisory_packages (ecosystem, name, advisory) VALUES "
      "('PyPI', 'Zope.Interface', 1), ('PyPI', 'zope_interface', 1), ('PyPI', 'a__-._b', 2),"
      "('Packagist', 'Symfony/HTTP-Kernel', 2), ('npm', 'Left-Pad', 2)"));
  ASSERT_OK(migrate(*db, schema_migrations()));
  auto st = db->prepare(
      "SELECT ecosystem || ' ' || name || ' ' || advisory FROM advisory_packages ORDER BY 1");
  ASSERT_OK(st);
  std::vector<std::string> rows;
  while (*st->step()) rows.push_back(st->column_text(0));
  // Two spellings of one PyPI project under one advisory become one row; npm names are exact.
  EXPECT_EQ(rows, (std::vector<std::string>{"Packagist symfony/http-kernel 2", "PyPI a-b 2",
                                            "PyPI zope-interface 1", "npm Left-Pad 2"}));
}

TEST(Migrations, AppliesOnlyTheMissingOnesInOrder) {
  auto db = Database::open(":memory:");
  ASSERT_OK(db);
  auto first = migrate(*db, std::span(kFiveMigrations).first(2));
  ASSERT_OK(first);
  EXPECT_EQ(*first, 2);
  // Migrations 1 and 2 would fail with "table already exists" if they ran again.
  auto all = migrate(*db, kFiveMigrations);
  ASSERT_OK(all);
  EXPECT_EQ(*all, 5);
  EXPECT_EQ(table_names(*db), (std::set<std::string>{"one", "two", "three", "four", "five"}));
}

TEST(Migrations, FailedMigrationLeavesTheLastCompleteVersion) {
  constexpr std::array broken{
      Migration{1, "CREATE TABLE one (x)"},
      Migration{2, "CREATE TABLE two (x); INSERT INTO nowhere VALUES (1)"},
  };
  auto dir = testing::temp_dir("broken");
  auto db = Database::open(dir / "p.db");
  ASSERT_OK(db);
  auto r = migrate(*db, broken);
  EXPECT_ERRC(r, Errc::internal);
  EXPECT_NE(r.error().message.find("migration 2: "), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("no such table: nowhere"), std::string::npos);
  EXPECT_EQ(*schema_version(*db), 1);
  EXPECT_EQ(table_names(*db), std::set<std::string>{"one"});  // "two" was rolled back with it
  EXPECT_FALSE(db->in_transaction());
}

TEST(Migrations, RejectsAListWithAGap) {
  constexpr std::array gap{Migration{1, "CREATE TABLE one (x)"}, Migration{3, "SELECT 1"}};
  auto db = Database::open(":memory:");
  ASSERT_OK(db);
  EXPECT_ERRC(migrate(*db, gap), Errc::internal);
  EXPECT_EQ(*schema_version(*db), 0);
}

TEST(Migrations, NewerSchemaIsRefusedAndTheFileLeftUntouched) {
  for (bool wal : {true, false}) {
    SCOPED_TRACE(wal ? "wal" : "rollback journal");
    auto dir = testing::temp_dir(wal ? "newer-wal" : "newer-journal");
    const fs::path file = dir / "p.db";
    write_future_database(file, wal);
    ASSERT_FALSE(fs::exists(dir / "p.db-wal"));
    ASSERT_FALSE(fs::exists(dir / "p.db-shm"));
    const std::string bytes = file_bytes(file);
    const auto mtime = fs::last_write_time(file);
    ASSERT_EQ(read_file_header(file).value_or(FileHeader{-1, 0}).schema_version, 7);

    DirectoryWatch watch(dir);
    auto db = open_for_writing(file, kFiveMigrations);
    EXPECT_EQ(watch.events(), std::vector<std::string>{});
    EXPECT_ERRC(db, Errc::failed_precondition);
    EXPECT_EQ(db.error().message,
              file.string() +
                  ": schema version 7 is newer than this patchparty (5); upgrade patchparty or "
                  "restore a backup");

    EXPECT_EQ(file_bytes(file), bytes);
    EXPECT_EQ(fs::last_write_time(file), mtime);
    EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1)
        << "no -wal, -shm or -journal file beside it";
  }
}

TEST(Migrations, NewerSchemaStillInTheWalIsRefused) {
  auto dir = testing::temp_dir("newer-in-wal");
  const fs::path file = dir / "p.db";
  // A writer that has committed version 7 but not yet checkpointed it: the file header still says
  // 0, only SQLite (reading the -wal) sees 7.
  auto future = Database::open(file);
  ASSERT_OK(future);
  ASSERT_OK(
      future->exec("PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0;"
                   "CREATE TABLE t (x); PRAGMA user_version = 7"));
  ASSERT_EQ(read_file_header(file).value_or(FileHeader{-1, 0}).schema_version, 0);

  auto db = open_for_writing(file, kFiveMigrations);
  EXPECT_ERRC(db, Errc::failed_precondition);
  EXPECT_NE(db.error().message.find("schema version 7 is newer than this patchparty (5)"),
            std::string::npos);
}

TEST(Migrations, FileHeaderIsReadAsPlainBytes) {
  auto dir = testing::temp_dir("header");
  EXPECT_EQ(read_file_header(dir / "absent").value_or(FileHeader{-1, 0}).schema_version, 0);
  std::ofstream(dir / "empty").flush();
  EXPECT_EQ(read_file_header(dir / "empty").value_or(FileHeader{-1, 0}).schema_version, 0);
  std::ofstream(dir / "text") << std::string(200, 'x');
  EXPECT_ERRC(read_file_header(dir / "text"), Errc::data_loss);
  {
    auto db = open_for_writing(dir / "p.db");
    ASSERT_OK(db);
  }
  auto header = read_file_header(dir / "p.db");
  ASSERT_OK(header);
  EXPECT_EQ(header->schema_version, code_schema_version());
  EXPECT_EQ(header->application_id, kApplicationId);
}

TEST(Migrations, AnotherProgramsDatabaseIsRefusedNotMigrated) {
  auto dir = testing::temp_dir("foreign");
  {
    auto db = Database::open(dir / "tables.db");
    ASSERT_OK(db);
    ASSERT_OK(db->exec("CREATE TABLE users (name TEXT)"));
    auto other = Database::open(dir / "app.db");
    ASSERT_OK(other);
    ASSERT_OK(
        other->exec("PRAGMA application_id = 42; CREATE TABLE t (x); PRAGMA user_version = 1"));
  }
  auto tables = open_for_writing(dir / "tables.db");
  EXPECT_ERRC(tables, Errc::failed_precondition);
  EXPECT_EQ(tables.error().message,
            (dir / "tables.db").string() +
                ": has tables but no schema version, so it is not a patchparty database; is the "
                "state directory right?");
  auto app = open_for_writing(dir / "app.db");
  EXPECT_ERRC(app, Errc::failed_precondition);
  EXPECT_EQ(app.error().message, (dir / "app.db").string() +
                                     ": application id 0x0000002a is not patchparty's; is the "
                                     "state directory right?");

  auto db = Database::open(dir / "tables.db");
  ASSERT_OK(db);
  EXPECT_EQ(table_names(*db), std::set<std::string>{"users"});
  EXPECT_EQ(text_pragma(*db, "journal_mode"), "delete");  // not even switched to WAL
  EXPECT_ERRC(migrate(*db), Errc::failed_precondition);
}

TEST(Migrations, GarbageFileIsDataLossAndLeftAlone) {
  auto dir = testing::temp_dir("garbage");
  std::ofstream(dir / "p.db") << std::string(4096, 'x');
  EXPECT_ERRC(open_for_writing(dir / "p.db"), Errc::data_loss);
  EXPECT_EQ(file_bytes(dir / "p.db"), std::string(4096, 'x'));
}

}  // namespace
}  // namespace patchparty::store
