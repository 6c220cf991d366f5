// The inventory source kinds as register_builtin_sources() adds them, and the plan that reads
// them: host databases in the list's order, then each project's lockfiles.
#include "collectors/inventory/inventory_kind.h"

#include <gtest/gtest.h>

#include <fstream>

#include "collectors/inventory/builtin_sources.h"
#include "collectors/inventory/dpkg_status.h"
#include "tests/support/test_data.h"

namespace patchparty::inventory {
namespace {

namespace fs = std::filesystem;

class InventoryKinds : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { register_builtin_sources(); }
  void SetUp() override { root_ = testing::temp_dir("inventory-kinds"); }
  void TearDown() override { fs::remove_all(root_); }

  void write(const fs::path& relative, const std::string& text) {
    fs::create_directories((root_ / relative).parent_path());
    std::ofstream(root_ / relative) << text;
  }
  config::Config config_with_project(std::vector<std::string> lockfiles = {}) {
    config::Config c = config::default_config();
    c.inventory.root = root_;
    c.projects.push_back(config::ProjectConfig{
        .name = "shop", .path = "/srv/shop", .lockfiles = std::move(lockfiles), .context = {}});
    return c;
  }

  fs::path root_;
};

TEST_F(InventoryKinds, EveryBuiltinKindIsRegisteredInItsOrder) {
  EXPECT_EQ(inventory_kinds().names(),
            (std::vector<std::string>{"dpkg", "rpm", "apk", "composer", "npm"}));
  for (const auto& name : inventory_kinds().names()) {
    const InventoryKind& kind = *inventory_kinds().find(name);
    // Either a host database or a lockfile kind, never neither.
    EXPECT_NE(static_cast<bool>(kind.plan), static_cast<bool>(kind.open_lockfile)) << name;
    EXPECT_EQ(kind.lockfile_names.empty(), !kind.open_lockfile) << name;
    EXPECT_EQ(kind.lockfile_ecosystem.empty(), !kind.open_lockfile) << name;
  }
}

TEST_F(InventoryKinds, LockfileNamesMapToTheirKind) {
  EXPECT_EQ(lockfile_kind("composer.lock"), "composer");
  EXPECT_EQ(lockfile_kind("package-lock.json"), "npm");
  EXPECT_EQ(lockfile_kind("npm-shrinkwrap.json"), "npm");
  EXPECT_EQ(lockfile_kind("Gemfile.lock"), std::nullopt);
}

TEST_F(InventoryKinds, PlansTheHostDatabaseThenTheProjectsLockfiles) {
  write("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
  write("var/lib/dpkg/status", "");
  write("srv/shop/package-lock.json", "{}");
  write("srv/shop/composer.lock", "{}");
  auto plan = plan_inventory(config_with_project());
  EXPECT_EQ(plan.host_ecosystem, "Debian:12");
  std::vector<std::string> kinds;
  for (const auto& s : plan.sources) {
    EXPECT_FALSE(s.error.has_value()) << s.kind;
    ASSERT_NE(s.source, nullptr) << s.kind;
    EXPECT_EQ(s.source->name(), s.kind);
    kinds.push_back(s.kind);
  }
  EXPECT_EQ(kinds, (std::vector<std::string>{"dpkg", "composer", "npm"}));
  EXPECT_EQ(plan.sources[0].path, (root_ / "var/lib/dpkg/status").string());
  EXPECT_EQ(plan.sources[2].project, "shop");
}

TEST_F(InventoryKinds, ALockfileNoKindReadsIsThatSourcesError) {
  write("srv/shop/Gemfile.lock", "");
  auto plan = plan_inventory(config_with_project({"Gemfile.lock"}));
  ASSERT_EQ(plan.sources.size(), 1u);
  ASSERT_TRUE(plan.sources[0].error.has_value());
  EXPECT_EQ(plan.sources[0].error->message,
            "project shop: Gemfile.lock is not a lockfile patchparty reads");
}

TEST(InventoryKindsDeathTest, ADuplicateKindAborts) {
  register_builtin_sources();
  EXPECT_DEATH(add_inventory_kind(dpkg_inventory_kind()),
               "inventory source kind 'dpkg' registered twice");
}

}  // namespace
}  // namespace patchparty::inventory
