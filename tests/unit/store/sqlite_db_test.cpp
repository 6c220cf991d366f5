#include "core/store/sqlite_db.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/support/test_data.h"

namespace patchparty::store {
namespace {

using namespace std::string_view_literals;

Database open_memory() {
  auto db = Database::open(":memory:");
  EXPECT_OK(db);
  return std::move(*db);
}

std::int64_t count_rows(Database& db, std::string_view table) {
  auto n = db.query_int64("SELECT count(*) FROM " + std::string(table));
  EXPECT_OK(n);
  return n.value_or(-1);
}

TEST(SqliteDb, MapsResultCodesToWhatTheCallerShouldDo) {
  struct Case {
    int rc;
    Errc want;
  };
  for (auto [rc, want] : {
           Case{SQLITE_BUSY, Errc::unavailable},
           Case{SQLITE_BUSY_SNAPSHOT, Errc::unavailable},
           Case{SQLITE_LOCKED, Errc::unavailable},
           Case{SQLITE_IOERR_WRITE, Errc::unavailable},
           Case{SQLITE_FULL, Errc::resource_exhausted},
           Case{SQLITE_TOOBIG, Errc::resource_exhausted},
           Case{SQLITE_CORRUPT, Errc::data_loss},
           Case{SQLITE_CORRUPT_INDEX, Errc::data_loss},
           Case{SQLITE_NOTADB, Errc::data_loss},
           Case{SQLITE_CONSTRAINT_UNIQUE, Errc::invalid_argument},
           Case{SQLITE_READONLY, Errc::failed_precondition},
           Case{SQLITE_CANTOPEN, Errc::failed_precondition},
           Case{SQLITE_ERROR, Errc::internal},
           Case{SQLITE_MISUSE, Errc::internal},
       }) {
    Error e = sqlite_error(rc, "p.db: SELECT 1", "");
    EXPECT_EQ(e.code, want) << rc << " " << e.message;
    EXPECT_EQ(e.message, std::string("p.db: SELECT 1: ") + sqlite3_errstr(rc));
  }
  EXPECT_EQ(sqlite_error(SQLITE_FULL, "ctx", "database or disk is full").message,
            "ctx: database or disk is full");
}

TEST(SqliteDb, BindsAndReadsEveryType) {
  Database db = open_memory();
  ASSERT_OK(db.exec("CREATE TABLE t (i INTEGER, d REAL, s TEXT, e TEXT, n TEXT, b BLOB, z BLOB)"));
  auto insert = db.prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  ASSERT_OK(insert);
  const std::array<std::byte, 3> blob{std::byte{0}, std::byte{0xff}, std::byte{7}};
  ASSERT_OK(insert->bind_int64(1, -9007199254740993));  // not representable as a double
  ASSERT_OK(insert->bind_double(2, 0.25));
  ASSERT_OK(insert->bind_text(3, "nul\0inside ✓"sv));
  ASSERT_OK(insert->bind_text(4, std::string_view{}));  // empty, not NULL
  ASSERT_OK(insert->bind_null(5));
  ASSERT_OK(insert->bind_blob(6, blob));
  ASSERT_OK(insert->bind_blob(7, std::span<const std::byte>{}));  // empty, not NULL
  ASSERT_OK(insert->run());

  auto select = db.prepare("SELECT i, d, s, e, n, b, z, typeof(e), typeof(z) FROM t");
  ASSERT_OK(select);
  auto row = select->step();
  ASSERT_OK(row);
  ASSERT_TRUE(*row);
  EXPECT_EQ(select->column_int64(0), -9007199254740993);
  EXPECT_EQ(select->column_double(1), 0.25);
  EXPECT_EQ(select->column_text(2), "nul\0inside ✓"sv);
  EXPECT_EQ(select->column_text(3), "");
  EXPECT_FALSE(select->column_is_null(3));
  EXPECT_TRUE(select->column_is_null(4));
  EXPECT_EQ(select->column_text(4), "");
  EXPECT_EQ(select->column_blob(5), std::vector<std::byte>(blob.begin(), blob.end()));
  EXPECT_TRUE(select->column_blob(6).empty());
  EXPECT_EQ(select->column_text(7), "text");
  EXPECT_EQ(select->column_text(8), "blob");
  row = select->step();
  ASSERT_OK(row);
  EXPECT_FALSE(*row);
}

TEST(SqliteDb, ResetAllowsReuseWithFreshBindings) {
  Database db = open_memory();
  ASSERT_OK(db.exec("CREATE TABLE t (k INTEGER, v TEXT)"));
  auto insert = db.prepare("INSERT INTO t VALUES (?1, ?2)");
  ASSERT_OK(insert);
  for (int i = 0; i < 3; ++i) {
    ASSERT_OK(insert->bind_int64(1, i));
    if (i != 1) {
      ASSERT_OK(insert->bind_text(2, "v" + std::to_string(i)));
    }
    ASSERT_OK(insert->run());
    insert->reset();
  }
  // Row 1 had no text bound after the reset: clear_bindings made it NULL, not "v0".
  EXPECT_EQ(*db.query_int64("SELECT count(*) FROM t WHERE v IS NULL AND k = 1"), 1);
  EXPECT_EQ(count_rows(db, "t"), 3);
}

TEST(SqliteDb, ExecRunsEveryStatement) {
  Database db = open_memory();
  ASSERT_OK(
      db.exec("CREATE TABLE a (x); INSERT INTO a VALUES (1); INSERT INTO a VALUES (2);\n"
              "-- a trailing comment\n"));
  EXPECT_EQ(count_rows(db, "a"), 2);
}

TEST(SqliteDb, ErrorNamesStatementAndSqliteMessage) {
  Database db = open_memory();
  ASSERT_OK(db.exec("CREATE TABLE a (x)"));
  auto r = db.exec("INSERT INTO a VALUES (1); INSERT INTO missing VALUES (2)");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::internal);
  EXPECT_EQ(r.error().message, ":memory:: INSERT INTO missing VALUES (2): no such table: missing");
  // The statements before the failing one have run: exec is not a transaction.
  EXPECT_EQ(count_rows(db, "a"), 1);
}

TEST(SqliteDb, ConstraintViolationIsInvalidArgument) {
  Database db = open_memory();
  ASSERT_OK(db.exec("CREATE TABLE a (x TEXT NOT NULL CHECK (x <> ''))"));
  auto r = db.exec("INSERT INTO a VALUES ('')");
  EXPECT_ERRC(r, Errc::invalid_argument);
  EXPECT_NE(r.error().message.find("CHECK constraint failed"), std::string::npos)
      << r.error().message;
}

TEST(SqliteDb, RunRefusesAStatementThatReturnsRows) {
  Database db = open_memory();
  auto select = db.prepare("SELECT 1");
  ASSERT_OK(select);
  EXPECT_ERRC(select->run(), Errc::internal);
}

TEST(SqliteDb, TransactionRollsBackUnlessCommitted) {
  Database db = open_memory();
  ASSERT_OK(db.exec("CREATE TABLE a (x)"));
  {
    auto tx = Transaction::begin(db);
    ASSERT_OK(tx);
    ASSERT_OK(db.exec("INSERT INTO a VALUES (1)"));
    EXPECT_TRUE(db.in_transaction());
  }
  EXPECT_FALSE(db.in_transaction());
  EXPECT_EQ(count_rows(db, "a"), 0);
  {
    auto tx = Transaction::begin(db);
    ASSERT_OK(tx);
    ASSERT_OK(db.exec("INSERT INTO a VALUES (2)"));
    Transaction moved = std::move(*tx);  // the moved-from guard must not roll back
    ASSERT_OK(moved.commit());
    EXPECT_ERRC(moved.commit(), Errc::internal);
  }
  EXPECT_EQ(count_rows(db, "a"), 1);
}

TEST(SqliteDb, LockedDatabaseIsUnavailable) {
  auto dir = testing::temp_dir("busy");
  auto writer = Database::open(dir / "db");
  ASSERT_OK(writer);
  ASSERT_OK(writer->exec("PRAGMA journal_mode = WAL; CREATE TABLE a (x)"));
  auto other = Database::open(dir / "db", Database::Mode::read_write, std::chrono::milliseconds(0));
  ASSERT_OK(other);
  auto held = Transaction::begin(*writer);
  ASSERT_OK(held);
  auto second = Transaction::begin(*other);
  EXPECT_ERRC(second, Errc::unavailable);
  EXPECT_TRUE(second.error().retryable());
  EXPECT_NE(second.error().message.find("BEGIN IMMEDIATE: database is locked"), std::string::npos)
      << second.error().message;
}

TEST(SqliteDb, BusyTimeoutWaitsForTheLock) {
  auto dir = testing::temp_dir("wait");
  auto writer = Database::open(dir / "db");
  ASSERT_OK(writer);
  ASSERT_OK(writer->exec("PRAGMA journal_mode = WAL; CREATE TABLE a (x)"));
  auto other =
      Database::open(dir / "db", Database::Mode::read_write, std::chrono::milliseconds(300));
  ASSERT_OK(other);
  auto held = Transaction::begin(*writer);
  ASSERT_OK(held);
  auto start = std::chrono::steady_clock::now();
  EXPECT_ERRC(Transaction::begin(*other), Errc::unavailable);
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(250));
  ASSERT_OK(held->commit());
  EXPECT_OK(Transaction::begin(*other));
}

TEST(SqliteDb, GarbageFileIsDataLoss) {
  auto dir = testing::temp_dir("garbage");
  std::ofstream(dir / "db") << std::string(8192, 'x');
  auto db = Database::open(dir / "db");
  ASSERT_OK(db);  // SQLite reads nothing until the first statement
  auto r = db->query_int64("PRAGMA user_version");
  EXPECT_ERRC(r, Errc::data_loss);
  EXPECT_NE(r.error().message.find("file is not a database"), std::string::npos)
      << r.error().message;
}

TEST(SqliteDb, FullDatabaseIsResourceExhaustedAndKeepsCommittedRows) {
  auto dir = testing::temp_dir("full");
  auto db = Database::open(dir / "db");
  ASSERT_OK(db);
  ASSERT_OK(db->exec("PRAGMA journal_mode = WAL; CREATE TABLE a (x BLOB)"));
  ASSERT_OK(db->exec("INSERT INTO a VALUES (randomblob(100))"));
  auto pages = db->query_int64("PRAGMA page_count");
  ASSERT_OK(pages);
  ASSERT_OK(db->exec("PRAGMA max_page_count = " + std::to_string(*pages + 4)));
  {
    auto tx = Transaction::begin(*db);
    ASSERT_OK(tx);
    Result<> r;
    for (int i = 0; i < 100 && r; ++i) r = db->exec("INSERT INTO a VALUES (randomblob(4000))");
    EXPECT_ERRC(r, Errc::resource_exhausted);
    EXPECT_NE(r.error().message.find("database or disk is full"), std::string::npos)
        << r.error().message;
  }
  EXPECT_FALSE(db->in_transaction());
  EXPECT_EQ(count_rows(*db, "a"), 1);
}

TEST(SqliteDb, ReadOnlyConnectionRefusesWrites) {
  auto dir = testing::temp_dir("ro");
  {
    auto db = Database::open(dir / "db");
    ASSERT_OK(db);
    ASSERT_OK(db->exec("CREATE TABLE a (x); INSERT INTO a VALUES (1)"));
  }
  auto db = Database::open(dir / "db", Database::Mode::read_only);
  ASSERT_OK(db);
  EXPECT_EQ(count_rows(*db, "a"), 1);
  EXPECT_ERRC(db->exec("INSERT INTO a VALUES (2)"), Errc::failed_precondition);
}

TEST(SqliteDb, OpeningAMissingFileWithoutCreateFails) {
  auto dir = testing::temp_dir("missing");
  auto db = Database::open(dir / "absent.db", Database::Mode::read_write);
  EXPECT_ERRC(db, Errc::failed_precondition);
  EXPECT_NE(db.error().message.find((dir / "absent.db").string()), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir / "absent.db"));
}

}  // namespace
}  // namespace patchparty::store

namespace patchparty::store {
namespace {

TEST(SqliteDb, NewDatabasesGetTheLargerPageSizeAndOldOnesKeepTheirs) {
  auto dir = std::filesystem::temp_directory_path() / ("pp-page-size-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  {
    auto fresh = Database::open(dir / "new.db");
    ASSERT_OK(fresh);
    ASSERT_OK(fresh->exec("CREATE TABLE t (x)"));
    EXPECT_EQ(fresh->query_int64("PRAGMA page_size").value_or(-1), Database::kNewDatabasePageSize);
  }
  {
    auto old = Database::open(dir / "old.db", Database::Mode::read_write_create);
    ASSERT_OK(old);
    ASSERT_OK(old->exec("PRAGMA page_size = 4096; VACUUM; CREATE TABLE t (x)"));
  }
  auto reopened = Database::open(dir / "old.db", Database::Mode::read_write_create);
  ASSERT_OK(reopened);
  ASSERT_OK(reopened->exec("INSERT INTO t VALUES (1)"));
  EXPECT_EQ(reopened->query_int64("PRAGMA page_size").value_or(-1), 4096);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace patchparty::store
