#include "core/store/backup.h"

#include <sqlite3.h>

#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "core/base/c_handles.h"
#include "core/base/log.h"
#include "core/store/durable_file.h"
#include "core/store/migrations.h"
#include "core/store/store.h"

namespace patchparty::store {

namespace {

using SqliteBackup = std::unique_ptr<sqlite3_backup, CFree<sqlite3_backup_finish>>;

// Ends the read transaction that pins the source's snapshot, on every path out.
class ReadSnapshot {
 public:
  explicit ReadSnapshot(Database& db) : db_(db) {}
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;
  ~ReadSnapshot() {
    if (!db_.in_transaction()) return;
    if (auto r = db_.exec("ROLLBACK"); !r) log::warning(r.error().message);
  }

 private:
  Database& db_;
};

// Every row of an integrity_check-like pragma; "ok" alone means healthy.
Result<std::vector<std::string>> check_rows(Database& db, std::string_view pragma) {
  PP_TRY(st, db.prepare(pragma));
  std::vector<std::string> rows;
  while (true) {
    PP_TRY(row, st.step());
    if (!row) break;
    rows.push_back(st.column_text(0));
  }
  return rows;
}

Result<> require_ok(Database& db, std::string_view pragma, std::string_view name) {
  PP_TRY(rows, check_rows(db, pragma));
  if (rows.size() == 1 && rows[0] == "ok") return {};
  std::string found;
  for (std::size_t i = 0; i < rows.size() && i < 5; ++i) found += (i ? "; " : "") + rows[i];
  if (rows.empty()) found = "no answer";
  return fail(Errc::data_loss, db.name() + ": " + std::string(name) + " failed: " + found);
}

}  // namespace

Result<> copy_database(Database& source, const std::filesystem::path& dest,
                       const CopyOptions& options) {
  PP_TRY(out, Database::open(dest, Database::Mode::read_write));
  const auto deadline = std::chrono::steady_clock::now() + options.timeout;
  auto too_late = [&] {
    return fail(Errc::deadline_exceeded, source.name() + ": backup not finished within " +
                                             std::to_string(options.timeout.count()) + " ms");
  };

  // Without this snapshot every commit of the daemon, another process, would restart the copy
  // at the next step, and a busy daemon could keep it from ever finishing.
  ReadSnapshot snapshot(source);
  PP_CHECK(source.exec("BEGIN"));
  PP_TRY(objects, source.query_int64("SELECT count(*) FROM sqlite_schema"));
  (void)objects;

  SqliteBackup backup{sqlite3_backup_init(out.handle(), "main", source.handle(), "main")};
  if (!backup) {
    int rc = sqlite3_extended_errcode(out.handle());
    return tl::make_unexpected(
        sqlite_error(rc, dest.string() + ": backup", sqlite3_errmsg(out.handle())));
  }
  while (true) {
    int rc = sqlite3_backup_step(backup.get(), options.pages_per_step);
    if (rc == SQLITE_DONE) break;
    if (std::chrono::steady_clock::now() > deadline) return too_late();
    if (rc == SQLITE_OK) continue;
    int primary = rc & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
      sqlite3_sleep(20);  // a lock on the destination or a WAL recovery; both pass quickly
      continue;
    }
    // finish() puts the step's error on the destination connection.
    sqlite3_backup_finish(backup.release());
    return tl::make_unexpected(sqlite_error(rc, dest.string() + ": backup of " + source.name(),
                                            sqlite3_errmsg(out.handle())));
  }
  if (int rc = sqlite3_backup_finish(backup.release()); rc != SQLITE_OK) {
    return tl::make_unexpected(
        sqlite_error(rc, dest.string() + ": backup", sqlite3_errmsg(out.handle())));
  }
  PP_CHECK(source.exec("COMMIT"));
  // The copied header still says WAL; rollback-journal mode makes the file whole by itself
  // (patchpartyd switches a restored database back to WAL when it opens it).
  PP_CHECK(out.exec("PRAGMA journal_mode = DELETE"));
  return {};
}

Result<DatabaseFacts> verify_database(const std::filesystem::path& file) {
  PP_TRY(db, Database::open(file, Database::Mode::read_only));
  return [&]() -> Result<DatabaseFacts> {
    PP_CHECK(require_ok(db, "PRAGMA integrity_check", "integrity_check"));
    PP_CHECK(require_ok(db, "PRAGMA quick_check", "quick_check"));
    PP_TRY(application_id, db.query_int64("PRAGMA application_id"));
    if (static_cast<std::uint32_t>(application_id) != kApplicationId)
      return fail(Errc::failed_precondition, file.string() +
                                                 ": not a patchparty database (application id " +
                                                 std::to_string(application_id) + ")");
    DatabaseFacts facts;
    PP_TRY(version, schema_version(db));
    if (version == 0)
      return fail(Errc::failed_precondition,
                  file.string() + ": not a patchparty database (no schema version)");
    facts.schema_version = version;
    PP_TRY(pages, db.query_int64("PRAGMA page_count"));
    PP_TRY(page_size, db.query_int64("PRAGMA page_size"));
    facts.pages = pages;
    facts.page_size = page_size;
    return facts;
  }();
}

std::filesystem::path backup_target(const std::filesystem::path& dest) {
  std::error_code ec;
  if (std::filesystem::is_directory(dest, ec)) return dest / ("patchparty-" + utc_stamp() + ".db");
  return dest;
}

Result<BackupResult> backup_state(const std::filesystem::path& state_dir,
                                  const std::filesystem::path& dest, const BackupOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const std::filesystem::path db_file = Store::database_file(state_dir);
  std::error_code ec;
  if (!std::filesystem::exists(db_file, ec))
    return fail(Errc::not_found, db_file.string() +
                                     ": no database to back up (is the state "
                                     "directory right?)");
  PP_TRY(header, read_file_header(db_file));
  PP_CHECK(refuse_foreign(db_file.string(), header.application_id));

  const std::filesystem::path target = backup_target(dest);
  if (std::filesystem::exists(target, ec) && !options.force)
    return fail(Errc::failed_precondition,
                target.string() + ": exists; pass --force to replace it");
  if (std::filesystem::is_directory(target, ec))
    return fail(Errc::failed_precondition, target.string() + ": is a directory");

  PP_TRY(source, Database::open(db_file, Database::Mode::read_only));
  PP_TRY(temp, TempFile::create_beside(target));
  PP_CHECK(copy_database(source, temp.path(), options.copy));
  PP_TRY(facts, verify_database(temp.path()));
  PP_CHECK(fsync_file(temp.path()));
  PP_CHECK(rename_durably(temp.path(), target, options.force));
  temp.keep();

  BackupResult result;
  result.file = target;
  result.facts = facts;
  result.bytes = static_cast<std::int64_t>(std::filesystem::file_size(target, ec));
  result.elapsed = std::chrono::steady_clock::now() - started;
  return result;
}

}  // namespace patchparty::store
