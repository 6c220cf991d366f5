#include "collectors/inventory/path_patterns.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/test_data.h"

namespace patchparty::inventory {
namespace {

namespace fs = std::filesystem;

TEST(PathPatterns, ExpandsUnderTheRootInOrderEachOnce) {
  const fs::path root = testing::temp_dir("patterns") / "img";
  fs::create_directories(root / "srv/app/bin");
  for (const char* name : {"b", "a", ".hidden"}) std::ofstream(root / "srv/app/bin" / name) << "x";
  auto got = expand_path_patterns(root, "/srv/app", {"bin/*", "bin/a", "bin/missing"});
  EXPECT_EQ(got, (std::vector<fs::path>{root / "srv/app/bin/a", root / "srv/app/bin/b",
                                        root / "srv/app/bin/missing"}));
  EXPECT_TRUE(expand_path_patterns(root, "/srv/app", {"nothing/*"}).empty());
}

// Links in the image, to absolute and "../" targets, lead to the image's files as a chroot
// would see them; nothing matched through them names a path outside the root.
TEST(PathPatterns, MatchesReachedThroughLinksStayInTheImage) {
  const fs::path root = testing::temp_dir("patterns-links") / "img";
  fs::create_directories(root / "srv/app/bin");
  fs::create_directories(root / "usr/bin");
  std::ofstream(root / "usr/bin/tool") << "image's tool";
  fs::create_symlink("/usr/bin/tool", root / "srv/app/bin/absolute");
  fs::create_symlink("../../../../../../../usr/bin/tool", root / "srv/app/bin/relative");
  fs::create_symlink("/etc/hostname", root / "srv/app/bin/host");
  auto got = expand_path_patterns(root, "/srv/app", {"bin/*"});
  EXPECT_EQ(got, (std::vector<fs::path>{root / "etc/hostname", root / "usr/bin/tool"}));
  for (const auto& p : got) EXPECT_EQ(p.string().rfind(root.string() + "/", 0), 0u) << p;
}

}  // namespace
}  // namespace patchparty::inventory
