#include "core/store/backup.h"

#include <gtest/gtest.h>

#include <sys/mount.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <iterator>
#include <thread>

#include "core/store/migrations.h"
#include "core/store/store.h"
#include "tests/support/scratch_files.h"
#include "tests/support/test_data.h"
#include "tests/unit/store/numbered_packages.h"

namespace patchparty::store {
namespace {

namespace fs = std::filesystem;
using testing::file_bytes;

// Rows of some size, a version per round.
std::vector<Package> packages(int n, int round) {
  return numbered_packages(n, std::to_string(round) + "." + std::string(200, 'x'));
}

// Files in `dir` whose name starts with `prefix`.
std::vector<std::string> entries(const fs::path& dir, std::string_view prefix = "") {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (name.starts_with(prefix)) names.push_back(name);
  }
  return names;
}

// Every snapshot's package_count matches the rows saved with it: true only of a copy taken at
// a commit boundary, since each snapshot and its rows are written in one transaction.
void expect_consistent(const fs::path& file, std::int64_t min_snapshots) {
  auto db = Database::open(file, Database::Mode::read_only);
  ASSERT_OK(db);
  auto snapshots = db->query_int64("SELECT count(*) FROM inventory_snapshots");
  auto claimed = db->query_int64("SELECT coalesce(sum(package_count), 0) FROM inventory_snapshots");
  auto rows = db->query_int64("SELECT count(*) FROM inventory_packages");
  ASSERT_OK(snapshots);
  ASSERT_OK(claimed);
  ASSERT_OK(rows);
  EXPECT_GE(*snapshots, min_snapshots);
  EXPECT_EQ(*claimed, *rows) << file;
}

class Backup : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::temp_dir("backup");
    state_ = dir_ / "state";
    auto s = Store::open(state_);
    ASSERT_OK(s);
    ASSERT_OK(s->save_inventory("dpkg", "", packages(50, 0), 1));
    store_.emplace(std::move(*s));
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  fs::path dir_, state_;
  std::optional<Store> store_;
};

TEST_F(Backup, CopyIsCheckedSelfContainedAndInRollbackJournalMode) {
  auto r = backup_state(state_, dir_ / "copy.db");
  ASSERT_OK(r);
  EXPECT_EQ(r->file, dir_ / "copy.db");
  EXPECT_EQ(r->facts.schema_version, code_schema_version());
  EXPECT_EQ(r->facts.page_size, Database::kNewDatabasePageSize);
  EXPECT_EQ(r->bytes, r->facts.pages * r->facts.page_size);
  EXPECT_EQ(r->bytes, static_cast<std::int64_t>(fs::file_size(dir_ / "copy.db")));
  // Header bytes 18 and 19 are 1 in rollback-journal mode, 2 in WAL mode.
  std::string bytes = file_bytes(dir_ / "copy.db");
  ASSERT_GT(bytes.size(), 20u);
  EXPECT_EQ(bytes[18], 1);
  EXPECT_EQ(bytes[19], 1);
  EXPECT_EQ(entries(dir_, "copy.db"), std::vector<std::string>{"copy.db"});
  expect_consistent(dir_ / "copy.db", 1);
  // Store can read it as a state directory of its own.
  fs::create_directories(dir_ / "other");
  fs::copy_file(dir_ / "copy.db", dir_ / "other" / "patchparty.db");
  auto other = Store::open_read_only(dir_ / "other");
  ASSERT_OK(other);
  auto latest = other->latest_inventory();
  ASSERT_OK(latest);
  EXPECT_EQ(latest->size(), 50u);
}

TEST_F(Backup, RefusesAnExistingFileWithoutForce) {
  std::ofstream(dir_ / "old.db") << "keep me";
  auto r = backup_state(state_, dir_ / "old.db");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::failed_precondition);
  EXPECT_NE(r.error().message.find("--force"), std::string::npos) << r.error().message;
  EXPECT_EQ(file_bytes(dir_ / "old.db"), "keep me");
  EXPECT_EQ(entries(dir_, "old.db").size(), 1u);

  BackupOptions force;
  force.force = true;
  ASSERT_OK(backup_state(state_, dir_ / "old.db", force));
  expect_consistent(dir_ / "old.db", 1);
}

TEST_F(Backup, ADirectoryGetsATimestampedFile) {
  fs::create_directories(dir_ / "backups");
  auto r = backup_state(state_, dir_ / "backups");
  ASSERT_OK(r);
  auto names = entries(dir_ / "backups");
  ASSERT_EQ(names.size(), 1u);
  // patchparty-YYYYMMDDTHHMMSSZ.db
  EXPECT_EQ(names[0].size(), std::string("patchparty-20260101T000000Z.db").size()) << names[0];
  EXPECT_TRUE(names[0].starts_with("patchparty-2")) << names[0];
  EXPECT_TRUE(names[0].ends_with("Z.db")) << names[0];
  EXPECT_EQ(r->file, dir_ / "backups" / names[0]);
}

TEST_F(Backup, AMissingDatabaseOrDirectoryFailsWithoutLeavingFiles) {
  auto none = backup_state(dir_ / "nowhere", dir_ / "x.db");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, Errc::not_found);
  auto no_dir = backup_state(state_, dir_ / "missing" / "x.db");
  ASSERT_FALSE(no_dir);
  EXPECT_FALSE(fs::exists(dir_ / "missing"));
  EXPECT_TRUE(entries(dir_, "x.db").empty());
}

// Another connection commits as fast as it can while copies are taken: each copy finishes (the
// read snapshot keeps commits from restarting it) and holds whole transactions only.
TEST_F(Backup, CopiesWhileAnotherConnectionWrites) {
  std::atomic<bool> stop{false};
  std::atomic<int> commits{0};
  std::thread writer([&] {
    auto s = Store::open(state_);
    if (!s) return;
    for (int round = 1; !stop; ++round) {
      if (s->save_inventory("dpkg", "", packages(50 + round % 7, round), round)) ++commits;
    }
  });
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (commits < 20 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  int before = commits;
  for (int i = 0; i < 5; ++i) {
    BackupOptions options;
    options.force = true;
    options.copy.pages_per_step = 1;  // many steps, so commits land in between
    auto r = backup_state(state_, dir_ / "live.db", options);
    ASSERT_OK(r);
    expect_consistent(dir_ / "live.db", 1);
  }
  stop = true;
  writer.join();
  EXPECT_GT(commits.load(), before) << "the writer was blocked during the copies";
}

// A file system that fills half way through the copy: the error is reported and the temporary
// file removed. Needs CAP_SYS_ADMIN for the tmpfs.
TEST_F(Backup, AFullFileSystemLeavesNoPartialFile) {
  // Enough rows that the database is larger than the tmpfs.
  for (int i = 0; i < 4; ++i)
    ASSERT_OK(store_->save_inventory("dpkg", "p" + std::to_string(i), packages(2000, i), 2 + i));
  const fs::path small = dir_ / "small";
  fs::create_directories(small);
  if (::mount("tmpfs", small.c_str(), "tmpfs", 0, "size=512k") != 0)
    GTEST_SKIP() << "cannot mount a tmpfs here (not root?)";
  struct Unmount {
    fs::path p;
    ~Unmount() { ::umount2(p.c_str(), MNT_DETACH); }
  } unmount{small};
  auto r = backup_state(state_, small / "x.db");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::resource_exhausted) << r.error().to_string();
  EXPECT_TRUE(entries(small).empty());

  ASSERT_EQ(::mount("tmpfs", small.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, "size=512k"), 0);
  auto ro = backup_state(state_, small / "x.db");
  ASSERT_FALSE(ro);
  EXPECT_NE(ro.error().message.find("Read-only"), std::string::npos) << ro.error().message;
  EXPECT_TRUE(entries(small).empty());
}

TEST(VerifyDatabase, RefusesWhatIsNotAHealthyPatchpartyDatabase) {
  const fs::path dir = testing::temp_dir("verify");
  std::ofstream(dir / "text.db") << std::string(8192, 'x');
  auto text = verify_database(dir / "text.db");
  ASSERT_FALSE(text);
  EXPECT_EQ(text.error().code, Errc::data_loss) << text.error().to_string();

  {
    auto other = Database::open(dir / "other.db");
    ASSERT_OK(other);
    ASSERT_OK(other->exec("CREATE TABLE t (x); INSERT INTO t VALUES (1)"));
  }
  auto foreign = verify_database(dir / "other.db");
  ASSERT_FALSE(foreign);
  EXPECT_NE(foreign.error().message.find("not a patchparty database"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace patchparty::store
