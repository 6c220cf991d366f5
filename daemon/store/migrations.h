// The schema as numbered migrations kept in code; PRAGMA user_version records how far a database
// has come. A migration is never edited once released: a change is a new migration.
#pragma once

#include <filesystem>
#include <span>
#include <string_view>

#include "daemon/result.h"
#include "daemon/store/sqlite_db.h"

namespace patchparty::store {

struct Migration {
  int version;  // 1, 2, 3 ...: the user_version the database has once `sql` has run
  std::string_view sql;
};

// patchparty's migrations, in order.
std::span<const Migration> schema_migrations();
// The schema version this build writes and expects: the last migration's.
int code_schema_version();

// The user_version stored in the file header, read as plain bytes: no lock, no -wal or -shm
// file, nothing written. 0 for an absent or empty file; data_loss if it is not SQLite.
[[nodiscard]] Result<int> header_schema_version(const std::filesystem::path& file);

// PRAGMA user_version of an open connection (authoritative: includes committed WAL frames).
[[nodiscard]] Result<int> schema_version(Database& db);

// failed_precondition naming both versions and what to do, when `found` is newer than `known`.
[[nodiscard]] Result<> refuse_newer_schema(std::string_view where, int found, int known);

// Applies the migrations newer than the database, each in its own transaction together with its
// user_version, so a failure leaves the database at the last complete version. Refuses a
// database newer than the list. Returns the version reached.
[[nodiscard]] Result<int> migrate(Database& db,
                                  std::span<const Migration> migrations = schema_migrations());

// Opens `file` (creating it) for the one writer: checks the schema version before anything is
// written (not even the switch to WAL), then sets WAL, synchronous=NORMAL and foreign_keys=ON,
// and migrates.
[[nodiscard]] Result<Database> open_for_writing(
    const std::filesystem::path& file, std::span<const Migration> migrations = schema_migrations(),
    std::chrono::milliseconds busy_timeout = Database::kDefaultBusyTimeout);

}  // namespace patchparty::store
