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

}  // namespace
}  // namespace patchparty
