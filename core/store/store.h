// patchparty's state in one SQLite file: inventory snapshots now; advisories, findings and feed
// state as later migrations add them.
//
// Threads: a Store is one connection and is used by one thread. The daemon's writer thread owns
// the only writable Store (open()); readers such as the CLI open their own with open_read_only(),
// which WAL lets run beside the writer without blocking it.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/model/model.h"
#include "core/store/sqlite_db.h"

namespace patchparty::store {

inline constexpr std::string_view kDatabaseFileName = "patchparty.db";
inline constexpr int kDefaultSnapshotsKept = 30;

struct StoreOptions {
  std::chrono::milliseconds busy_timeout = Database::kDefaultBusyTimeout;
  // A cap on the database file; a write that would pass it fails with resource_exhausted and is
  // rolled back. 0: no cap beyond the file system's.
  std::int64_t max_bytes = 0;
};

// One inventory run of one source (and project, for lockfiles).
struct SnapshotInfo {
  std::int64_t id = 0;        // grows with every save: the higher, the newer
  std::int64_t taken_at = 0;  // unix seconds, as the caller stated it
  std::string source;         // "dpkg", "rpm", "apk", "composer", "npm"
  std::string project;        // "" for host package databases
  std::int64_t package_count = 0;
  bool ok = false;
  std::string error;  // why the run failed; empty when ok
};

struct SnapshotFilter {
  std::optional<std::string> source{};
  std::optional<std::string> project{};
  std::int64_t limit = 100;  // newest first; 0 for all
};

class Store {
 public:
  // <state_dir>/patchparty.db
  static std::filesystem::path database_file(const std::filesystem::path& state_dir);

  // The writer: creates state_dir and the database if needed and migrates it. A database from a
  // newer patchparty is refused with failed_precondition and left untouched.
  [[nodiscard]] static Result<Store> open(const std::filesystem::path& state_dir,
                                          const StoreOptions& options = {});
  // A reader: never creates, migrates or writes. not_found when there is no database yet,
  // failed_precondition when its schema is not exactly this build's.
  [[nodiscard]] static Result<Store> open_read_only(const std::filesystem::path& state_dir,
                                                    const StoreOptions& options = {});

  // Records a successful run and its packages in one transaction: on any error nothing of it is
  // kept and the previous snapshot stays the latest. Returns the snapshot id.
  [[nodiscard]] Result<std::int64_t> save_inventory(std::string_view source,
                                                    std::string_view project,
                                                    const std::vector<Package>& packages,
                                                    std::int64_t taken_at);
  // Records a failed run; the last successful snapshot of that source stays the latest.
  [[nodiscard]] Result<> record_inventory_failure(std::string_view source, std::string_view project,
                                                  std::string_view error, std::int64_t taken_at);

  // The packages of the newest successful snapshot of every (source, project), grouped by
  // snapshot in the order they were saved.
  [[nodiscard]] Result<std::vector<Package>> latest_inventory();
  // The packages of one snapshot, in the order they were saved; not_found for an unknown id.
  [[nodiscard]] Result<std::vector<Package>> inventory(std::int64_t snapshot_id);
  // Newest first.
  [[nodiscard]] Result<std::vector<SnapshotInfo>> snapshots(const SnapshotFilter& filter = {});

  // Keeps the newest `keep_per_source` snapshots of every (source, project), failed ones
  // included, and always the newest successful one, so a run of failures cannot empty the
  // inventory. Returns how many snapshots were deleted (their packages go with them).
  [[nodiscard]] Result<std::int64_t> prune_snapshots(int keep_per_source = kDefaultSnapshotsKept);

  [[nodiscard]] Result<int> schema_version();
  bool read_only() const { return read_only_; }
  // For the table modules beside this one (advisory_tables.h); same single-thread rule.
  Database& database() { return db_; }
  const std::filesystem::path& file() const { return file_; }

 private:
  Store(Database db, std::filesystem::path file, bool read_only) noexcept
      : db_(std::move(db)), file_(std::move(file)), read_only_(read_only) {}

  [[nodiscard]] Result<> check_writable() const;
  [[nodiscard]] Result<std::vector<Package>> read_packages(Statement& query);

  Database db_;
  std::filesystem::path file_;
  bool read_only_ = false;
};

}  // namespace patchparty::store
