#include "core/base/random_uuid.h"

#include <gtest/gtest.h>

#include <set>

namespace patchparty {
namespace {

TEST(RandomUuid, IsAVersionFourUuidAndFresh) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string u = random_uuid();
    ASSERT_EQ(u.size(), 36u) << u;
    for (std::size_t j = 0; j < u.size(); ++j) {
      if (j == 8 || j == 13 || j == 18 || j == 23)
        EXPECT_EQ(u[j], '-') << u;
      else
        EXPECT_TRUE((u[j] >= '0' && u[j] <= '9') || (u[j] >= 'a' && u[j] <= 'f')) << u;
    }
    EXPECT_EQ(u[14], '4') << u;                                          // version
    EXPECT_NE(std::string("89ab").find(u[19]), std::string::npos) << u;  // variant
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace patchparty
