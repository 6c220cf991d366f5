// Puts a backup in place of the state database while patchpartyd is stopped, keeping the
// database it replaces.
#pragma once

#include <filesystem>
#include <optional>

#include "core/base/result.h"
#include "core/store/backup.h"

namespace patchparty::store {

struct RestoreOptions {
  bool force = false;  // replace an existing database (it is set aside, never deleted)
  CopyOptions copy{};
};

struct RestoreResult {
  std::filesystem::path database;                 // <state_dir>/patchparty.db
  std::optional<std::filesystem::path> previous;  // where the replaced database now is
  bool previous_has_wal = false;                  // previous + "-wal" belongs to it
  std::int64_t bytes = 0;
  DatabaseFacts facts{};
  int code_schema_version = 0;  // this build's; higher than facts' means a migration at start
};

// Checks `source` (a patchparty database, integrity_check ok, schema not newer than this build's)
// and that no daemon holds the state directory's lock (held until the end, so none starts
// half way), copies `source` to a temporary file beside the database, verifies and fsyncs it,
// sets the current database aside as patchparty.db.before-restore-<UTC time> and renames the copy
// into place. Every refusal happens before the current database is touched. A crash at any
// point leaves either the old database in place or the restored one, and the old one's last
// committed state under its own name or the set-aside name.
[[nodiscard]] Result<RestoreResult> restore_state(const std::filesystem::path& source,
                                                  const std::filesystem::path& state_dir,
                                                  const RestoreOptions& options = {});

}  // namespace patchparty::store
