// A thin owner of one SQLite connection: every failure becomes an Error that names the database,
// the statement and SQLite's own message, with a code that tells the caller what to do.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/c_handles.h"
#include "core/base/result.h"

namespace patchparty::store {

// BUSY/LOCKED/IOERR -> unavailable (retry), FULL/NOMEM/TOOBIG -> resource_exhausted,
// CORRUPT/NOTADB -> data_loss, CONSTRAINT/MISMATCH/RANGE -> invalid_argument,
// READONLY/PERM/AUTH/CANTOPEN -> failed_precondition, the rest (bad SQL, misuse) -> internal.
// Extended codes map as their primary code. The message is "<context>: <SQLite's message>";
// an empty sqlite_message falls back to sqlite3_errstr(rc).
Error sqlite_error(int rc, std::string_view context, std::string_view sqlite_message);

// A prepared statement. Column and bind indexes follow SQLite: binds count from 1, columns from 0.
class Statement {
 public:
  Statement(SqliteStmt stmt, std::string context) noexcept;

  // Named per type rather than overloaded: an `int` argument would be ambiguous between int64 and
  // double, and a silent conversion is what a typed bind is meant to prevent.
  [[nodiscard]] Result<> bind_int64(int index, std::int64_t value);
  [[nodiscard]] Result<> bind_double(int index, double value);
  [[nodiscard]] Result<> bind_text(int index, std::string_view value);  // copied by SQLite
  [[nodiscard]] Result<> bind_blob(int index, std::span<const std::byte> value);
  [[nodiscard]] Result<> bind_null(int index);

  // true: a row is ready to read; false: the statement has finished.
  [[nodiscard]] Result<bool> step();
  // Steps a statement that returns no rows (INSERT, UPDATE, DDL) to completion.
  [[nodiscard]] Result<> run();
  // Ready for the next set of binds. Returns nothing: sqlite3_reset only repeats the error of
  // the last step, which that step has already reported.
  void reset() noexcept;

  bool column_is_null(int column) const;
  std::int64_t column_int64(int column) const;
  double column_double(int column) const;
  std::string column_text(int column) const;  // "" for NULL
  std::vector<std::byte> column_blob(int column) const;

 private:
  [[nodiscard]] Result<> check_bind(int rc, int index) const;

  SqliteStmt stmt_;
  std::string context_;  // "<file>: <statement>", for error messages
};

class Database {
 public:
  enum class Mode { read_write_create, read_write, read_only };
  static constexpr std::chrono::milliseconds kDefaultBusyTimeout{5000};
  // For databases created by read_write_create. Most of the file is advisory records of 1-3 KiB:
  // with 4 KiB pages a record over ~2 KiB fills a page alone, and every page costs a WAL frame and
  // a checkpoint copy. On the 500k-record OSV ingest bench (tests/bench/lifecycle/ingest_bench.cpp)
  // 4, 16 and 64 KiB pages gave databases of about 1480, 1150 and 1090 MB and ingests of about 35,
  // 20 and 17 CPU seconds. The price: a small transaction writes a 64 KiB WAL frame per page.
  static constexpr int kNewDatabasePageSize = 65536;

  // `file` may be ":memory:". Waits up to `busy_timeout` for another connection's lock before a
  // statement fails with unavailable.
  [[nodiscard]] static Result<Database> open(
      const std::filesystem::path& file, Mode mode = Mode::read_write_create,
      std::chrono::milliseconds busy_timeout = kDefaultBusyTimeout);

  // Runs one or more ';'-separated statements, discarding any rows.
  [[nodiscard]] Result<> exec(std::string_view sql);
  [[nodiscard]] Result<Statement> prepare(std::string_view sql);
  // The single integer of a query such as "PRAGMA user_version" or "SELECT count(*) ...".
  [[nodiscard]] Result<std::int64_t> query_int64(std::string_view sql);

  std::int64_t last_insert_rowid() const;
  std::int64_t changes() const;  // rows changed by the last statement, cascades not counted
  bool in_transaction() const;
  const std::string& name() const { return name_; }
  sqlite3* handle() const { return db_.get(); }

 private:
  Database(SqliteDb db, std::string name) noexcept : db_(std::move(db)), name_(std::move(name)) {}

  SqliteDb db_;
  std::string name_;  // the file, for error messages
};

// BEGIN IMMEDIATE on construction, so a second writer waits (busy timeout) at the start rather
// than failing half way; rolls back on destruction unless commit() succeeded.
class Transaction {
 public:
  [[nodiscard]] static Result<Transaction> begin(Database& db);

  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  [[nodiscard]] Result<> commit();

 private:
  explicit Transaction(Database& db) noexcept : db_(&db) {}

  Database* db_;  // null once committed or moved from
};

}  // namespace patchparty::store
