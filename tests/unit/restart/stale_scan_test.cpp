#include "collectors/restart/stale_scan.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty::restart {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

void write(const fs::path& file, std::string_view text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

// The default list without /tmp/: the tests' files live under the temp directory.
std::vector<std::string> prefixes_without_tmp() {
  std::vector<std::string> out;
  for (auto p : kDefaultIgnoredPrefixes)
    if (p != "/tmp/") out.emplace_back(p);
  return out;
}

std::uint64_t inode_of(const fs::path& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_ino) : 0;
}

std::string maps_line(const fs::path& file, std::uint64_t inode, bool deleted) {
  return "7f0000000000-7f0000001000 r-xp 00000000 fe:00 " + std::to_string(inode) + "   " +
         file.string() + (deleted ? " (deleted)" : "") + "\n";
}

TEST(StaleScan, FakeProcRootClassifiesDeletedReplacedAndCurrent) {
  const fs::path dir = testing::temp_dir("lib");
  const fs::path proc = testing::temp_dir("proc");
  write(dir / "libcur.so.1", "current");
  write(dir / "librep.so.1", "new");
  const auto cur = inode_of(dir / "libcur.so.1");
  // 100: a replaced library (mapped inode is not the file's), a removed one, a current one,
  // and a memfd; 200: nothing stale; 300: a kernel thread (empty maps); 400 has no maps.
  write(proc / "100/maps", maps_line(dir / "libcur.so.1", cur, false) +
                               maps_line(dir / "librep.so.1", cur + 999, true) +
                               maps_line(dir / "libgone.so.2", 4242, true) +
                               maps_line("/memfd:x.so", 7, true));
  write(proc / "100/comm", "nginx\n");
  write(proc / "200/maps", maps_line(dir / "libcur.so.1", cur, false));
  write(proc / "300/maps", "");
  fs::create_directories(proc / "400");
  fs::create_directories(proc / "self");
  for (auto pid : {"100", "200", "300"}) fs::create_directory_symlink("/", proc / pid / "root");

  ScanOptions o;
  o.proc_root = proc;
  o.ignored_prefixes = prefixes_without_tmp();
  const ProcessScan scan = scan_processes(o);
  EXPECT_EQ(scan.scanned, 3);
  EXPECT_EQ(scan.vanished, 1);  // 400
  EXPECT_FALSE(scan.truncated);
  ASSERT_EQ(scan.stale.size(), 1u);
  EXPECT_EQ(scan.stale[0].pid, 100);
  EXPECT_EQ(scan.stale[0].comm, "nginx");
  EXPECT_EQ(scan.stale[0].files,
            (std::vector<StaleFile>{{(dir / "libgone.so.2").string(), StaleReason::deleted},
                                    {(dir / "librep.so.1").string(), StaleReason::replaced}}));

  o.max_processes = 2;
  const ProcessScan capped = scan_processes(o);
  EXPECT_TRUE(capped.truncated);
  EXPECT_EQ(capped.scanned, 2);
  fs::remove_all(dir);
  fs::remove_all(proc);
}

TEST(StaleScan, DoesNotFollowASymlinkPlantedAtALibraryPath) {
  const fs::path dir = testing::temp_dir("lib");
  write(dir / "real.so.1", "x");
  fs::create_symlink(dir / "real.so.1", dir / "libz.so.1");
  const auto target = inode_of(dir / "real.so.1");
  // The mapped inode is the link target's: following the link would call the library current.
  // Not followed, the path holds a symlink, which is never the mapped file: replaced.
  auto files =
      stale_files(parse_maps(maps_line(dir / "libz.so.1", target, false)), "", "/", "/", {});
  EXPECT_EQ(files, (std::vector<StaleFile>{{(dir / "libz.so.1").string(), StaleReason::replaced}}));
  fs::remove_all(dir);
}

// A chrooted process (bind9, postfix) maps /usr/lib/x.so; the kernel shows it as
// CHROOT/usr/lib/x.so and /proc/PID/root links to CHROOT. The file is looked up in the process's
// root under the process's own name, so a replacement is seen and named as the process knows it.
TEST(StaleScan, ChrootedProcessIsJudgedInItsOwnRoot) {
  const fs::path chroot = testing::temp_dir("chroot");
  const fs::path proc = testing::temp_dir("proc");
  write(chroot / "usr/lib/libssl.so.3", "new");
  write(chroot / "usr/sbin/named", "binary");
  const auto now = inode_of(chroot / "usr/lib/libssl.so.3");
  const auto exe = inode_of(chroot / "usr/sbin/named");
  write(proc / "77/maps", maps_line(chroot / "usr/sbin/named", exe, false) +
                              maps_line(chroot / "usr/lib/libssl.so.3", now + 999, false));
  write(proc / "77/comm", "named\n");
  fs::create_symlink(chroot / "usr/sbin/named", proc / "77/exe");
  fs::create_directory_symlink(chroot, proc / "77/root");

  ScanOptions o;
  o.proc_root = proc;
  o.ignored_prefixes = prefixes_without_tmp();
  const ProcessScan scan = scan_processes(o);
  ASSERT_EQ(scan.stale.size(), 1u);
  EXPECT_EQ(scan.stale[0].files,
            (std::vector<StaleFile>{{"/usr/lib/libssl.so.3", StaleReason::replaced}}));

  // A prefix that is only the start of a name is not the root.
  const auto files = stale_files(parse_maps(maps_line(chroot.string() + "x/lib.so.1", 5, true)), "",
                                 "/", chroot.string(), {});
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].path, chroot.string() + "x/lib.so.1");
  fs::remove_all(chroot);
  fs::remove_all(proc);
}

// A real process that has dlopen()ed a copy of zlib: replacing the copy the way dpkg does
// (rename of a new file over it) and then deleting it are both seen in its maps.
class LoadedLibrary : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::temp_dir("lib");
    lib_ = dir_ / "libpptest.so.1";
    ASSERT_TRUE(fs::exists("/lib/x86_64-linux-gnu/libz.so.1")) << "needs zlib1g";
    fs::copy_file("/lib/x86_64-linux-gnu/libz.so.1", lib_);
    proc_ = std::make_unique<testing::Subprocess>(
        std::vector<std::string>{"/usr/bin/python3", "-c",
                                 "import ctypes, sys, time\n"
                                 "ctypes.CDLL(sys.argv[1])\n"
                                 "print('loaded', flush=True)\n"
                                 "time.sleep(120)\n",
                                 lib_.string()},
        std::map<std::string, std::string>{}, dir_ / "out", dir_ / "err");
    ASSERT_GT(proc_->pid(), 0);
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (testing::Subprocess::slurp(dir_ / "out").find("loaded") == std::string::npos) {
      ASSERT_TRUE(proc_->running()) << testing::Subprocess::slurp(dir_ / "err");
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "python did not load the library";
      std::this_thread::sleep_for(10ms);
    }
  }
  void TearDown() override {
    proc_.reset();  // kills and reaps
    fs::remove_all(dir_);
  }

  std::optional<StaleProcess> scan_for_child() {
    ScanOptions o;
    o.ignored_prefixes = prefixes_without_tmp();
    for (auto& p : scan_processes(o).stale)
      if (p.pid == proc_->pid()) return p;
    return std::nullopt;
  }

  fs::path dir_, lib_;
  std::unique_ptr<testing::Subprocess> proc_;
};

TEST_F(LoadedLibrary, NothingStaleIsNotListed) {
  EXPECT_FALSE(scan_for_child().has_value());
}

TEST_F(LoadedLibrary, ReplacedByRenameIsReplaced) {
  fs::copy_file("/lib/x86_64-linux-gnu/libz.so.1", dir_ / "new");
  ASSERT_EQ(::rename((dir_ / "new").c_str(), lib_.c_str()), 0);
  auto p = scan_for_child();
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->comm, "python3");
  EXPECT_EQ(p->files, (std::vector<StaleFile>{{lib_.string(), StaleReason::replaced}}));
}

TEST_F(LoadedLibrary, DeletedIsDeleted) {
  ASSERT_TRUE(fs::remove(lib_));
  auto p = scan_for_child();
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->files, (std::vector<StaleFile>{{lib_.string(), StaleReason::deleted}}));
}

TEST_F(LoadedLibrary, TemporaryDirectoriesAreIgnoredByDefault) {
  ASSERT_TRUE(fs::remove(lib_));
  if (!lib_.string().starts_with("/tmp/")) GTEST_SKIP() << "TMPDIR moves the test's files";
  for (auto& p : scan_processes(ScanOptions{}).stale) EXPECT_NE(p.pid, proc_->pid());
}

}  // namespace
}  // namespace patchparty::restart
