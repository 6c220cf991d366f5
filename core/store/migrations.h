// The schema as numbered migrations kept in code; PRAGMA user_version records how far a database
// has come. A migration is never edited once released: a change is a new migration.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string_view>

#include "core/base/result.h"
#include "core/store/sqlite_db.h"

namespace patchparty::store {

struct Migration {
  int version;  // 1, 2, 3 ...: the user_version the database has once `sql` has run
  std::string_view sql;
};

// patchparty's migrations, in order.
std::span<const Migration> schema_migrations();
// The schema version this build writes and expects: the last migration's.
int code_schema_version();

// PRAGMA application_id of a patchparty database ("ppty"), set by migration 1, so that a state
// directory pointed at some other application's SQLite file is refused rather than migrated.
inline constexpr std::uint32_t kApplicationId = 0x70707479;

struct FileHeader {
  int schema_version = 0;            // PRAGMA user_version
  std::uint32_t application_id = 0;  // PRAGMA application_id
};

// The header fields read as plain bytes: no lock, no -wal or -shm file, nothing written. Zeros
// for an absent or empty file; data_loss if it is not SQLite. May lag behind what SQLite sees
// while a writer's last commits are still in the -wal, never run ahead of it.
[[nodiscard]] Result<FileHeader> read_file_header(const std::filesystem::path& file);

// PRAGMA user_version of an open connection (authoritative: includes committed WAL frames).
[[nodiscard]] Result<int> schema_version(Database& db);

// failed_precondition naming both versions and what to do, when `found` is newer than `known`.
[[nodiscard]] Result<> refuse_newer_schema(std::string_view where, int found, int known);
// failed_precondition when the application id is another program's (0 is a new file's).
[[nodiscard]] Result<> refuse_foreign(std::string_view where, std::uint32_t application_id);

// Everything that must hold before a write: the application id is 0 or ours, the schema is not
// newer than `known`, and a version-0 database is empty (not another program's tables).
[[nodiscard]] Result<> check_ours(Database& db, int known);

// Applies the migrations newer than the database, each in its own transaction together with its
// user_version, so a failure leaves the database at the last complete version. Refuses what
// check_ours() refuses. Returns the version reached.
[[nodiscard]] Result<int> migrate(Database& db,
                                  std::span<const Migration> migrations = schema_migrations());

// Opens `file` (creating it) for the one writer: runs the checks of check_ours() before anything
// is written (not even the switch to WAL), then sets WAL, synchronous=NORMAL and foreign_keys=ON,
// and migrates.
[[nodiscard]] Result<Database> open_for_writing(
    const std::filesystem::path& file, std::span<const Migration> migrations = schema_migrations(),
    std::chrono::milliseconds busy_timeout = Database::kDefaultBusyTimeout);

}  // namespace patchparty::store
