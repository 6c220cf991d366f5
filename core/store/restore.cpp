#include "core/store/restore.h"

#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

#include "core/base/log.h"
#include "core/store/durable_file.h"
#include "core/store/migrations.h"
#include "core/store/state_lock.h"
#include "core/store/store.h"

namespace patchparty::store {

namespace {

std::filesystem::path with_suffix(const std::filesystem::path& p, std::string_view suffix) {
  return std::filesystem::path(p.string() + std::string(suffix));
}

bool present(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::exists(std::filesystem::symlink_status(p, ec));
}

// The header alone decides "not ours" and "too new" before SQLite opens the file, which for a
// WAL database would create -wal and -shm files beside it.
Result<> check_source_header(const std::filesystem::path& source) {
  std::error_code ec;
  auto status = std::filesystem::status(source, ec);
  if (ec || !std::filesystem::exists(status))
    return fail(Errc::not_found, source.string() + ": no such file");
  if (!std::filesystem::is_regular_file(status))
    return fail(Errc::invalid_argument, source.string() + ": not a regular file");
  PP_TRY(header, read_file_header(source));
  if (header.application_id != kApplicationId)
    return fail(Errc::failed_precondition,
                source.string() + ": not a patchparty database (no patchparty application id)");
  PP_CHECK(refuse_newer_schema(source.string(), header.schema_version, code_schema_version()));
  return {};
}

// Brings the current database's -wal into the file where SQLite can: a checkpoint is SQLite's
// own crash-safe operation, and closing the last connection then removes -wal and -shm.
// Failure is not an error: the -wal is then kept beside the set-aside copy.
void checkpoint_current(const std::filesystem::path& db_file) {
  if (!present(with_suffix(db_file, "-wal"))) return;
  auto db = Database::open(db_file, Database::Mode::read_write);
  if (!db) {
    log::warning("restore: cannot checkpoint " + db_file.string() + ": " + db.error().message);
    return;
  }
  if (auto r = db->exec("PRAGMA wal_checkpoint(TRUNCATE)"); !r)
    log::warning("restore: cannot checkpoint " + db_file.string() + ": " + r.error().message);
}

// Links the current database (and a -wal the checkpoint could not fold in) to a new
// "before-restore" name. Links, not renames: until the restored copy is renamed over it, the
// current database stays where the daemon looks for it.
Result<std::filesystem::path> set_aside(const std::filesystem::path& db_file, bool& with_wal) {
  const std::filesystem::path wal = with_suffix(db_file, "-wal");
  with_wal = present(wal);
  const std::string base = db_file.string() + ".before-restore-" + utc_stamp();
  for (int n = 1; n < 100; ++n) {
    std::filesystem::path aside(n == 1 ? base : base + "-" + std::to_string(n));
    if (::link(db_file.c_str(), aside.c_str()) != 0) {
      if (errno == EEXIST) continue;
      return tl::make_unexpected(
          errno_error(errno, "cannot link " + db_file.string() + " to " + aside.string()));
    }
    if (with_wal) {
      const auto aside_wal = with_suffix(aside, "-wal");
      if (::link(wal.c_str(), aside_wal.c_str()) != 0) {
        int err = errno;
        ::unlink(aside.c_str());
        return tl::make_unexpected(
            errno_error(err, "cannot link " + wal.string() + " to " + aside_wal.string()));
      }
    }
    PP_CHECK(fsync_directory(db_file.parent_path()));
    return aside;
  }
  return fail(Errc::failed_precondition, base + ": too many set-aside databases of this second");
}

}  // namespace

Result<RestoreResult> restore_state(const std::filesystem::path& source,
                                    const std::filesystem::path& state_dir,
                                    const RestoreOptions& options) {
  PP_CHECK(check_source_header(source));
  auto lock = StateLock::acquire(state_dir, "patchparty restore");
  if (!lock) {
    return fail(lock.error().code,
                lock.error().message + "; stop patchpartyd first: systemctl stop patchpartyd");
  }
  RestoreResult result;
  result.database = Store::database_file(state_dir);
  result.code_schema_version = code_schema_version();
  const bool had_database = present(result.database);
  if (had_database && !options.force)
    return fail(Errc::failed_precondition,
                result.database.string() + " exists; pass --force to replace it (it is kept as " +
                    result.database.filename().string() + ".before-restore-<time>)");

  auto copied = [&]() -> Result<TempFile> {
    PP_TRY(src, Database::open(source, Database::Mode::read_only));
    // Through SQLite as well: committed transactions in a -wal beside `source` count.
    PP_CHECK(check_ours(src, code_schema_version()));
    PP_TRY(temp, TempFile::create_beside(result.database));
    PP_CHECK(copy_database(src, temp.path(), options.copy));
    PP_TRY(facts, verify_database(temp.path()));
    result.facts = facts;
    return temp;
  }();
  if (!copied)
    return tl::make_unexpected(with_context(copied.error(), "restore " + source.string()));
  TempFile temp = std::move(*copied);
  PP_CHECK(copy_ownership(temp.path(), had_database ? result.database : state_dir, !had_database));
  PP_CHECK(fsync_file(temp.path()));

  if (had_database) {
    checkpoint_current(result.database);
    PP_TRY(aside, set_aside(result.database, result.previous_has_wal));
    result.previous = aside;
    // A -wal left beside the restored file would be replayed into it. Its content is safe
    // under the set-aside name by now.
    std::error_code ec;
    for (const char* suffix : {"-wal", "-shm"}) {
      if (!std::filesystem::remove(with_suffix(result.database, suffix), ec) && ec)
        return tl::make_unexpected(
            errno_error(ec.value(), "cannot remove " + result.database.string() + suffix));
    }
  }
  PP_CHECK(rename_durably(temp.path(), result.database, true));
  temp.keep();
  std::error_code ec;
  result.bytes = static_cast<std::int64_t>(std::filesystem::file_size(result.database, ec));
  return result;
}

}  // namespace patchparty::store
