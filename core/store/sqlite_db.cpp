#include "core/store/sqlite_db.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "core/base/log.h"

namespace patchparty::store {
namespace {

constexpr std::size_t kMaxSqlInMessage = 80;

// One line, short enough for a log: "INSERT INTO inventory_packages (snapshot_id, ..."
std::string sql_excerpt(std::string_view sql) {
  std::string out;
  bool space = false;
  for (char c : sql) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
    if (out.size() >= kMaxSqlInMessage) return out + "...";
  }
  return out;
}

Errc errc_for(int rc) {
  switch (rc & 0xff) {  // the primary code; extended codes only refine it
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_PROTOCOL:
    case SQLITE_INTERRUPT:
    case SQLITE_SCHEMA:
      return Errc::unavailable;
    case SQLITE_FULL:
    case SQLITE_NOMEM:
    case SQLITE_TOOBIG:
    case SQLITE_NOLFS:
      return Errc::resource_exhausted;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Errc::data_loss;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
      return Errc::invalid_argument;
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
    case SQLITE_CANTOPEN:
      return Errc::failed_precondition;
    default:  // SQLITE_ERROR (bad SQL), SQLITE_MISUSE, SQLITE_NOTFOUND, ...: a bug on our side
      return Errc::internal;
  }
}

}  // namespace

Error sqlite_error(int rc, std::string_view context, std::string_view sqlite_message) {
  std::string message(context);
  message += ": ";
  message += sqlite_message.empty() ? std::string_view(sqlite3_errstr(rc)) : sqlite_message;
  return Error{errc_for(rc), std::move(message)};
}

// ---- Statement ----

Statement::Statement(SqliteStmt stmt, std::string context) noexcept
    : stmt_(std::move(stmt)), context_(std::move(context)) {}

Result<> Statement::check_bind(int rc, int index) const {
  if (rc == SQLITE_OK) return {};
  return tl::make_unexpected(sqlite_error(rc, context_ + ": parameter " + std::to_string(index),
                                          sqlite3_errmsg(sqlite3_db_handle(stmt_.get()))));
}

Result<> Statement::bind_int64(int index, std::int64_t value) {
  return check_bind(sqlite3_bind_int64(stmt_.get(), index, value), index);
}

Result<> Statement::bind_double(int index, double value) {
  return check_bind(sqlite3_bind_double(stmt_.get(), index, value), index);
}

Result<> Statement::bind_text(int index, std::string_view value) {
  // A null pointer would bind SQL NULL, and an empty string_view may carry one.
  const char* data = value.data() != nullptr ? value.data() : "";
  return check_bind(
      sqlite3_bind_text64(stmt_.get(), index, data, value.size(), SQLITE_TRANSIENT, SQLITE_UTF8),
      index);
}

Result<> Statement::bind_blob(int index, std::span<const std::byte> value) {
  static constexpr std::byte kEmpty{};  // as for text: null would bind NULL, not a 0-byte blob
  const void* data = value.data() != nullptr ? value.data() : &kEmpty;
  return check_bind(sqlite3_bind_blob64(stmt_.get(), index, data, value.size(), SQLITE_TRANSIENT),
                    index);
}

Result<> Statement::bind_null(int index) {
  return check_bind(sqlite3_bind_null(stmt_.get(), index), index);
}

Result<bool> Statement::step() {
  int rc = sqlite3_step(stmt_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return tl::make_unexpected(
      sqlite_error(rc, context_, sqlite3_errmsg(sqlite3_db_handle(stmt_.get()))));
}

Result<> Statement::run() {
  PP_TRY(row, step());
  if (row) return fail(Errc::internal, context_ + ": returned a row where none was expected");
  return {};
}

void Statement::reset() noexcept {
  sqlite3_reset(stmt_.get());
  sqlite3_clear_bindings(stmt_.get());
}

bool Statement::column_is_null(int column) const {
  return sqlite3_column_type(stmt_.get(), column) == SQLITE_NULL;
}

std::int64_t Statement::column_int64(int column) const {
  return sqlite3_column_int64(stmt_.get(), column);
}

double Statement::column_double(int column) const {
  return sqlite3_column_double(stmt_.get(), column);
}

std::string Statement::column_text(int column) const {
  // text before bytes: the documented order that makes the byte count match the text form
  const unsigned char* text = sqlite3_column_text(stmt_.get(), column);
  int size = sqlite3_column_bytes(stmt_.get(), column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

std::vector<std::byte> Statement::column_blob(int column) const {
  const void* blob = sqlite3_column_blob(stmt_.get(), column);
  int size = sqlite3_column_bytes(stmt_.get(), column);
  if (blob == nullptr) return {};
  const auto* bytes = static_cast<const std::byte*>(blob);
  return std::vector<std::byte>(bytes, bytes + size);
}

// ---- Database ----

Result<Database> Database::open(const std::filesystem::path& file, Mode mode,
                                std::chrono::milliseconds busy_timeout) {
  int flags = 0;
  switch (mode) {
    case Mode::read_write_create:
      flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
      break;
    case Mode::read_write:
      flags = SQLITE_OPEN_READWRITE;
      break;
    case Mode::read_only:
      flags = SQLITE_OPEN_READONLY;
      break;
  }
  std::string name = file.string();
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(name.c_str(), &raw, flags, nullptr);
  SqliteDb db{raw};  // adopt first: SQLite hands back a handle even when the open fails
  if (rc != SQLITE_OK) {
    return tl::make_unexpected(
        sqlite_error(rc, name, db ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc)));
  }
  sqlite3_extended_result_codes(db.get(), 1);
  auto timeout = std::min<std::chrono::milliseconds::rep>(busy_timeout.count(),
                                                          std::numeric_limits<int>::max());
  rc = sqlite3_busy_timeout(db.get(), static_cast<int>(timeout));
  if (rc != SQLITE_OK) {
    return tl::make_unexpected(sqlite_error(rc, name + ": busy_timeout", sqlite3_errmsg(db.get())));
  }
  if (mode == Mode::read_write_create) {
    // Only a database without pages takes this; an existing one keeps the size it was made with.
    const std::string sql = "PRAGMA page_size = " + std::to_string(kNewDatabasePageSize);
    rc = sqlite3_exec(db.get(), sql.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
      return tl::make_unexpected(sqlite_error(rc, name + ": page_size", sqlite3_errmsg(db.get())));
    }
  }
  return Database(std::move(db), std::move(name));
}

Result<Statement> Database::prepare(std::string_view sql) {
  if (sql.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return fail(Errc::resource_exhausted, name_ + ": statement too long");
  }
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
  SqliteStmt stmt{raw};
  std::string context = name_ + ": " + sql_excerpt(sql);
  if (rc != SQLITE_OK) {
    return tl::make_unexpected(sqlite_error(rc, context, sqlite3_errmsg(db_.get())));
  }
  if (!stmt) return fail(Errc::internal, context + ": no statement");  // only blanks or a comment
  return Statement(std::move(stmt), std::move(context));
}

Result<> Database::exec(std::string_view sql) {
  // Statement by statement rather than sqlite3_exec, so an error names the one that failed.
  while (true) {
    if (sql.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
      return fail(Errc::resource_exhausted, name_ + ": statement too long");
    }
    sqlite3_stmt* raw = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &raw, &tail);
    SqliteStmt stmt{raw};
    if (rc != SQLITE_OK) {
      return tl::make_unexpected(
          sqlite_error(rc, name_ + ": " + sql_excerpt(sql), sqlite3_errmsg(db_.get())));
    }
    std::string_view this_sql = sql.substr(0, static_cast<std::size_t>(tail - sql.data()));
    sql.remove_prefix(this_sql.size());
    if (!stmt) return {};  // only whitespace or comments were left
    Statement statement(std::move(stmt), name_ + ": " + sql_excerpt(this_sql));
    while (true) {
      PP_TRY(row, statement.step());
      if (!row) break;
    }
  }
}

Result<std::int64_t> Database::query_int64(std::string_view sql) {
  PP_TRY(statement, prepare(sql));
  PP_TRY(row, statement.step());
  if (!row) return fail(Errc::internal, name_ + ": " + sql_excerpt(sql) + ": returned no row");
  return statement.column_int64(0);
}

std::int64_t Database::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_.get());
}

std::int64_t Database::changes() const {
  return sqlite3_changes64(db_.get());
}

bool Database::in_transaction() const {
  return sqlite3_get_autocommit(db_.get()) == 0;
}

// ---- Transaction ----

Result<Transaction> Transaction::begin(Database& db) {
  PP_CHECK(db.exec("BEGIN IMMEDIATE"));
  return Transaction(db);
}

Transaction::Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Transaction::~Transaction() {
  // SQLite rolls back by itself after some errors (FULL, IOERR, NOMEM); a second ROLLBACK would
  // only fail with "no transaction is active".
  if (db_ == nullptr || !db_->in_transaction()) return;
  auto r = db_->exec("ROLLBACK");
  if (!r) log::warning(r.error().message);
}

Result<> Transaction::commit() {
  if (db_ == nullptr) return fail(Errc::internal, "transaction already finished");
  // On failure (BUSY while readers finish, FULL) the transaction stays open and the destructor
  // rolls it back.
  PP_CHECK(db_->exec("COMMIT"));
  db_ = nullptr;
  return {};
}

}  // namespace patchparty::store
