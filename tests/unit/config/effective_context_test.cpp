#include <gtest/gtest.h>

#include <string_view>

#include "config/config.h"

namespace patchparty::config {
namespace {

TEST(EffectiveContext, ProjectOverridesTheHostFieldByField) {
  Config c;
  c.host = {"internal", "medium"};
  ProjectConfig shop;
  shop.name = "shop";
  shop.context = {"internet", ""};
  ProjectConfig batch;
  batch.name = "batch";
  batch.context = {"", "low"};
  c.projects = {shop, batch};

  Context e = effective_context(c, "shop");
  EXPECT_EQ(e.exposure, "internet");
  EXPECT_EQ(e.criticality, "medium");
  e = effective_context(c, "batch");
  EXPECT_EQ(e.exposure, "internal");
  EXPECT_EQ(e.criticality, "low");
}

TEST(EffectiveContext, HostPackagesAndUnknownProjectsGetTheHosts) {
  Config c;
  c.host = {"isolated", "high"};
  ProjectConfig shop;
  shop.name = "shop";
  shop.context = {"internet", "low"};
  c.projects = {shop};
  for (std::string_view project : {"", "unknown"}) {
    Context e = effective_context(c, project);
    EXPECT_EQ(e.exposure, "isolated") << project;
    EXPECT_EQ(e.criticality, "high") << project;
  }
}

}  // namespace
}  // namespace patchparty::config
