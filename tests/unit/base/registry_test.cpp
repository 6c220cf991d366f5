#include "core/base/registry.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace patchparty {
namespace {

TEST(Registry, FindsWhatWasAddedAndListsNamesInOrder) {
  Registry<int> r{"test kind"};
  r.add("osv", 1);
  r.add("kev", 2);
  r.add("epss", 3);
  ASSERT_NE(r.find("kev"), nullptr);
  EXPECT_EQ(*r.find("kev"), 2);
  EXPECT_EQ(r.find("nvd"), nullptr);
  EXPECT_EQ(r.names(), (std::vector<std::string>{"osv", "kev", "epss"}));
  EXPECT_EQ(r.joined_names(), "osv, kev, epss");
}

TEST(Registry, EmptyHasNoNames) {
  Registry<int> r{"test kind"};
  EXPECT_EQ(r.find(""), nullptr);
  EXPECT_TRUE(r.names().empty());
  EXPECT_EQ(r.joined_names(), "");
}

TEST(RegistryDeathTest, ADuplicateNameAbortsNamingTheRoleAndTheName) {
  Registry<int> r{"test kind"};
  r.add("osv", 1);
  EXPECT_DEATH(r.add("osv", 2), "test kind 'osv' registered twice");
}

}  // namespace
}  // namespace patchparty
