#include "core/base/bounded_file.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/test_data.h"

namespace patchparty {
namespace {

TEST(BoundedFile, ReadsWholeFile) {
  auto dir = testing::temp_dir("read");
  std::ofstream(dir / "f") << "hello\n";
  auto r = read_bounded_file(dir / "f");
  ASSERT_OK(r);
  EXPECT_EQ(*r, "hello\n");
}

TEST(BoundedFile, RefusesFileOverLimit) {
  auto dir = testing::temp_dir("big");
  std::ofstream(dir / "f") << std::string(1000, 'x');
  EXPECT_ERRC(read_bounded_file(dir / "f", 999), Errc::resource_exhausted);
  EXPECT_OK(read_bounded_file(dir / "f", 1000));
}

TEST(BoundedFile, MissingFileIsNotFound) {
  EXPECT_ERRC(read_bounded_file("/nonexistent/patchparty"), Errc::not_found);
}

TEST(BoundedFile, UnderRootPrefixesAbsolutePaths) {
  EXPECT_EQ(under_root("/", "/var/lib/dpkg/status"), "/var/lib/dpkg/status");
  EXPECT_EQ(under_root("", "/var/lib/dpkg/status"), "/var/lib/dpkg/status");
  EXPECT_EQ(under_root("/srv/img", "/var/lib/dpkg/status"), "/srv/img/var/lib/dpkg/status");
}

// A crafted image whose database files are links to absolute and "../" targets: each resolves
// inside the root, as a chroot would see it, never to the host's /etc.
TEST(BoundedFile, UnderRootFollowsLinksAsAChrootWould) {
  namespace fs = std::filesystem;
  const fs::path root = testing::temp_dir("under-root") / "img";
  fs::create_directories(root / "etc");
  fs::create_directories(root / "var/lib/dpkg");
  fs::create_directories(root / "usr/lib/sysimage/rpm");
  std::ofstream(root / "etc/passwd") << "image's own\n";
  std::ofstream(root / "usr/lib/sysimage/rpm/rpmdb.sqlite") << "db";
  fs::create_symlink("/etc/passwd", root / "var/lib/dpkg/status");  // absolute
  fs::create_symlink("../../../../../../../../etc/passwd", root / "var/lib/dpkg/available");
  fs::create_directories(root / "var/lib");
  fs::create_symlink("/usr/lib/sysimage/rpm", root / "var/lib/rpm");  // a directory
  fs::create_symlink("loop-b", root / "loop-a");
  fs::create_symlink("loop-a", root / "loop-b");

  EXPECT_EQ(under_root(root, "/var/lib/dpkg/status"), root / "etc/passwd");
  EXPECT_EQ(under_root(root, "/var/lib/dpkg/available"), root / "etc/passwd");
  EXPECT_EQ(read_bounded_file(under_root(root, "/var/lib/dpkg/status")).value_or(""),
            "image's own\n");
  EXPECT_EQ(under_root(root, "/var/lib/rpm/rpmdb.sqlite"),
            root / "usr/lib/sysimage/rpm/rpmdb.sqlite");
  EXPECT_EQ(under_root(root, "/../../etc/passwd"), root / "etc/passwd");
  // Missing components are kept as written; a loop stops being followed and stays inside.
  EXPECT_EQ(under_root(root, "/var/lib/apk/db/installed"), root / "var/lib/apk/db/installed");
  const fs::path looped = under_root(root, "/loop-a/x");
  EXPECT_EQ(looped.string().rfind(root.string(), 0), 0u) << looped;
  EXPECT_FALSE(read_bounded_file(looped).has_value());
}

}  // namespace
}  // namespace patchparty
