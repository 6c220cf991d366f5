#include "collectors/feeds/zip_signature.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "tests/support/test_data.h"

namespace patchparty::feeds {
namespace {

std::filesystem::path write(const std::filesystem::path& dir, const std::string& name,
                            const std::string& bytes) {
  std::ofstream(dir / name, std::ios::binary) << bytes;
  return dir / name;
}

TEST(ZipSignature, KnowsAZipByItsLocalFileHeader) {
  auto dir = testing::temp_dir("zip");
  EXPECT_TRUE(is_zip(write(dir, "feed.bin", std::string("PK\x03\x04rest", 8))));
  // The name says nothing: a .zip that holds JSON is not a zip.
  EXPECT_FALSE(is_zip(write(dir, "all.zip", "{\"id\": \"GHSA-1\"}")));
  std::filesystem::remove_all(dir);
}

TEST(ZipSignature, ShortEmptyAndMissingFilesAreNotZips) {
  auto dir = testing::temp_dir("zip");
  EXPECT_FALSE(is_zip(write(dir, "short", "PK\x03")));
  EXPECT_FALSE(is_zip(write(dir, "empty", "")));
  EXPECT_FALSE(is_zip(dir / "missing"));
  // The empty-archive signature PK\5\6 is no local file header.
  EXPECT_FALSE(is_zip(write(dir, "empty.zip", std::string("PK\x05\x06", 4))));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace patchparty::feeds
