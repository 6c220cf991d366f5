#include "core/store/restore.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>
#include <fstream>
#include <iterator>

#include "core/store/migrations.h"
#include "core/store/state_lock.h"
#include "core/store/store.h"
#include "tests/support/scratch_files.h"
#include "tests/support/test_data.h"
#include "tests/unit/store/numbered_packages.h"

namespace patchparty::store {
namespace {

namespace fs = std::filesystem;
using testing::file_bytes;

// The lock file aside, which restore creates before it decides anything that needs it.
std::vector<std::string> entries(const fs::path& dir, bool with_lock = true) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (with_lock || name != "patchpartyd.lock") names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string latest_version(const fs::path& state) {
  auto s = Store::open_read_only(state);
  EXPECT_OK(s);
  if (!s) return {};
  auto latest = s->latest_inventory();
  EXPECT_OK(latest);
  return latest && !latest->empty() ? latest->front().version : std::string();
}

class Restore : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::temp_dir("restore");
    // The backup: version "1" of every package.
    {
      auto s = Store::open(dir_ / "then");
      ASSERT_OK(s);
      ASSERT_OK(s->save_inventory("dpkg", "", numbered_packages(20, "1"), 1));
    }
    ASSERT_OK(backup_state(dir_ / "then", dir_ / "backup.db"));
    // The current state: version "2".
    auto s = Store::open(dir_ / "now");
    ASSERT_OK(s);
    ASSERT_OK(s->save_inventory("dpkg", "", numbered_packages(20, "2"), 2));
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path db() const { return dir_ / "now" / "patchparty.db"; }

  // A refusal must leave the state directory exactly as it was.
  void expect_refused(const fs::path& source, std::string_view why, bool force = true) {
    const std::string before = file_bytes(db());
    const auto names = entries(dir_ / "now", false);
    RestoreOptions options;
    options.force = force;
    auto r = restore_state(source, dir_ / "now", options);
    ASSERT_FALSE(r) << "restored " << source;
    EXPECT_NE(r.error().message.find(why), std::string::npos) << r.error().message;
    EXPECT_EQ(file_bytes(db()), before);
    EXPECT_EQ(entries(dir_ / "now", false), names);
  }

  fs::path dir_;
};

TEST_F(Restore, IntoAnEmptyStateDirectory) {
  auto r = restore_state(dir_ / "backup.db", dir_ / "fresh");
  ASSERT_OK(r);
  EXPECT_FALSE(r->previous);
  EXPECT_EQ(r->facts.schema_version, code_schema_version());
  EXPECT_EQ(latest_version(dir_ / "fresh"), "1");
  EXPECT_EQ(entries(dir_ / "fresh"),
            (std::vector<std::string>{"patchparty.db", "patchpartyd.lock"}));
}

TEST_F(Restore, ReplacesTheCurrentDatabaseOnlyWithForceAndKeepsIt) {
  expect_refused(dir_ / "backup.db", "--force", false);

  RestoreOptions force;
  force.force = true;
  auto r = restore_state(dir_ / "backup.db", dir_ / "now", force);
  ASSERT_OK(r);
  ASSERT_TRUE(r->previous);
  EXPECT_TRUE(r->previous->filename().string().starts_with("patchparty.db.before-restore-2"));
  EXPECT_EQ(latest_version(dir_ / "now"), "1");
  // The set-aside database is whole on its own: the state before the restore.
  fs::create_directories(dir_ / "aside");
  fs::copy_file(*r->previous, dir_ / "aside" / "patchparty.db");
  EXPECT_EQ(latest_version(dir_ / "aside"), "2");
}

// The daemon killed mid-work leaves committed transactions in the -wal only. They must survive
// the restore in the set-aside copy, and must not be replayed into the restored database.
TEST_F(Restore, TheCurrentDatabasesWalIsKeptNotReplayedIntoTheRestoredOne) {
  auto writer = Store::open(dir_ / "now");  // stays open: its -wal is not checkpointed away
  ASSERT_OK(writer);
  ASSERT_OK(writer->save_inventory("dpkg", "", numbered_packages(20, "3"), 3));
  ASSERT_TRUE(fs::exists(db().string() + "-wal"));

  RestoreOptions force;
  force.force = true;
  auto r = restore_state(dir_ / "backup.db", dir_ / "now", force);
  ASSERT_OK(r);
  ASSERT_TRUE(r->previous);
  EXPECT_FALSE(fs::exists(db().string() + "-wal"));
  EXPECT_EQ(latest_version(dir_ / "now"), "1");
  // Checkpointed into the set-aside file, or kept beside it as its own -wal.
  fs::create_directories(dir_ / "aside");
  fs::copy_file(*r->previous, dir_ / "aside" / "patchparty.db");
  if (r->previous_has_wal)
    fs::copy_file(r->previous->string() + "-wal", dir_ / "aside" / "patchparty.db-wal");
  EXPECT_EQ(latest_version(dir_ / "aside"), "3");
}

TEST_F(Restore, RefusesWhileTheStateDirectoryIsLocked) {
  auto lock = StateLock::acquire(dir_ / "now", "patchpartyd");
  ASSERT_OK(lock);
  expect_refused(dir_ / "backup.db", "stop patchpartyd first");
}

TEST_F(Restore, RefusesWhatIsNotAGoodPatchpartyDatabase) {
  std::ofstream(dir_ / "text") << std::string(4096, 'x');
  expect_refused(dir_ / "text", "not an SQLite database");
  expect_refused(dir_ / "missing.db", "no such file");

  // Truncated: the header is fine, pages are missing.
  const std::string whole = file_bytes(dir_ / "backup.db");
  std::ofstream(dir_ / "truncated.db", std::ios::binary) << whole.substr(0, whole.size() / 2 + 100);
  expect_refused(dir_ / "truncated.db", "truncated.db");

  // Some other program's database.
  {
    auto other = Database::open(dir_ / "other.db");
    ASSERT_OK(other);
    ASSERT_OK(other->exec("CREATE TABLE t (x)"));
  }
  expect_refused(dir_ / "other.db", "not a patchparty database");
}

TEST_F(Restore, RefusesANewerSchemaNamingBothVersions) {
  fs::copy_file(dir_ / "backup.db", dir_ / "newer.db");
  {
    auto db = Database::open(dir_ / "newer.db", Database::Mode::read_write);
    ASSERT_OK(db);
    ASSERT_OK(db->exec("PRAGMA user_version = " + std::to_string(code_schema_version() + 1)));
  }
  expect_refused(dir_ / "newer.db", "schema version " + std::to_string(code_schema_version() + 1) +
                                        " is newer than this patchparty (" +
                                        std::to_string(code_schema_version()) + ")");
}

TEST_F(Restore, AnOlderSchemaIsRestoredAsItIsForTheDaemonToMigrate) {
  fs::copy_file(dir_ / "backup.db", dir_ / "older.db");
  {
    // Only the recorded version is lowered: the daemon would re-run later migrations on it,
    // which is not the point here; restore must not migrate.
    auto db = Database::open(dir_ / "older.db", Database::Mode::read_write);
    ASSERT_OK(db);
    ASSERT_OK(db->exec("PRAGMA user_version = 1"));
  }
  auto r = restore_state(dir_ / "older.db", dir_ / "fresh");
  ASSERT_OK(r);
  EXPECT_EQ(r->facts.schema_version, 1);
  EXPECT_EQ(r->code_schema_version, code_schema_version());
  auto header = read_file_header(dir_ / "fresh" / "patchparty.db");
  ASSERT_OK(header);
  EXPECT_EQ(header->schema_version, 1);
}

TEST_F(Restore, TheRestoredFileTakesTheOwnershipOfTheOneItReplaces) {
  ASSERT_EQ(::chmod(db().c_str(), 0640), 0);
  RestoreOptions force;
  force.force = true;
  ASSERT_OK(restore_state(dir_ / "backup.db", dir_ / "now", force));
  struct stat st {};
  ASSERT_EQ(::stat(db().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
}

}  // namespace
}  // namespace patchparty::store
