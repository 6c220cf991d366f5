// Online copies of the state database with SQLite's backup API, and the checks that make a copy
// trustworthy: the same pages as one committed state of the source, integrity_check ok, and no
// -wal file needed beside it.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>

#include "core/base/result.h"
#include "core/store/sqlite_db.h"

namespace patchparty::store {

struct CopyOptions {
  // The whole copy, waits for locks included.
  std::chrono::milliseconds timeout{std::chrono::minutes(10)};
  // Pages per sqlite3_backup_step: 256 of 64 KiB is 16 MiB a step.
  int pages_per_step = 256;
};

// What a verified database file holds.
struct DatabaseFacts {
  int schema_version = 0;
  std::int64_t pages = 0;
  std::int64_t page_size = 0;
};

// Copies `source` into `dest`, an existing empty file, and leaves `dest` in rollback-journal
// mode, so it is complete on its own. The copy is of one committed state: a read transaction
// on `source` is held from the first page to the last, which in WAL mode does not block the
// daemon's commits (it only holds back checkpoints until the copy ends).
[[nodiscard]] Result<> copy_database(Database& source, const std::filesystem::path& dest,
                                     const CopyOptions& options = {});

// PRAGMA integrity_check and quick_check must both say "ok", and the file must be a patchparty
// database (application id and a schema version). data_loss otherwise, with SQLite's findings.
[[nodiscard]] Result<DatabaseFacts> verify_database(const std::filesystem::path& file);

struct BackupOptions {
  bool force = false;  // replace an existing destination file
  CopyOptions copy{};
};

struct BackupResult {
  std::filesystem::path file;
  std::int64_t bytes = 0;
  DatabaseFacts facts{};
  std::chrono::duration<double> elapsed{};
};

// The file a backup to `dest` writes: `dest` itself, or for a directory
// dest/patchparty-YYYYMMDDTHHMMSSZ.db.
std::filesystem::path backup_target(const std::filesystem::path& dest);

// Backs up <state_dir>/patchparty.db to `dest` while the daemon may be writing it: copy to a
// temporary file beside the target, verify, fsync, rename into place. On any error nothing is
// left at the target or beside it.
[[nodiscard]] Result<BackupResult> backup_state(const std::filesystem::path& state_dir,
                                                const std::filesystem::path& dest,
                                                const BackupOptions& options = {});

}  // namespace patchparty::store
