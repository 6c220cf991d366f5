// The inventory source kinds as register_builtin_sources() adds them, and the plan that reads
// them: host databases in the list's order, then each project's lockfiles.
#include "collectors/inventory/inventory_kind.h"

#include <gtest/gtest.h>

#include <algorithm>
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
            (std::vector<std::string>{
                "dpkg",    "rpm",   "apk",    "python-site", "npm-global",   "composer",
                "npm",     "yarn",  "pnpm",   "bun",         "requirements", "pipenv",
                "poetry",  "uv",    "pdm",    "pylock",      "gomod",        "cargo",
                "bundler", "maven", "gradle", "gobinary",    "cyclonedx",    "spdx"}));
  for (const auto& name : inventory_kinds().names()) {
    const InventoryKind& kind = *inventory_kinds().find(name);
    // Either planned from the host's configuration or opened per project file, never neither.
    EXPECT_NE(static_cast<bool>(kind.plan), static_cast<bool>(kind.open_lockfile)) << name;
    // File names are searched for only by kinds that can open a file.
    if (!kind.lockfile_names.empty()) {
      EXPECT_TRUE(kind.open_lockfile) << name;
    }
    // Every application kind says which advisories its packages need, by name or by content.
    if (kind.open_lockfile || kind.app_packages) {
      EXPECT_NE(kind.lockfile_ecosystem.empty(), !kind.ecosystems_from_content) << name;
    }
    // Installed application packages are planned and can be read from a directory given.
    EXPECT_EQ(kind.app_packages, static_cast<bool>(kind.open_directories)) << name;
    if (kind.app_packages) {
      EXPECT_TRUE(kind.plan) << name;
    }
  }
}

TEST_F(InventoryKinds, LockfileNamesMapToTheirKind) {
  EXPECT_EQ(lockfile_kind("composer.lock"), "composer");
  EXPECT_EQ(lockfile_kind("package-lock.json"), "npm");
  EXPECT_EQ(lockfile_kind("npm-shrinkwrap.json"), "npm");
  EXPECT_EQ(lockfile_kind("yarn.lock"), "yarn");
  EXPECT_EQ(lockfile_kind("pnpm-lock.yaml"), "pnpm");
  EXPECT_EQ(lockfile_kind("bun.lock"), "bun");
  EXPECT_EQ(lockfile_kind("requirements.txt"), "requirements");
  EXPECT_EQ(lockfile_kind("Pipfile.lock"), "pipenv");
  EXPECT_EQ(lockfile_kind("poetry.lock"), "poetry");
  EXPECT_EQ(lockfile_kind("uv.lock"), "uv");
  EXPECT_EQ(lockfile_kind("pdm.lock"), "pdm");
  EXPECT_EQ(lockfile_kind("pylock.toml"), "pylock");
  EXPECT_EQ(lockfile_kind("go.mod"), "gomod");
  EXPECT_EQ(lockfile_kind("Cargo.lock"), "cargo");
  EXPECT_EQ(lockfile_kind("Gemfile.lock"), "bundler");
  EXPECT_EQ(lockfile_kind("pom.xml"), "maven");
  EXPECT_EQ(lockfile_kind("gradle.lockfile"), "gradle");
  // Formats patchparty does not read, and files that are named, not searched for.
  EXPECT_EQ(lockfile_kind("mix.lock"), std::nullopt);
  EXPECT_EQ(lockfile_kind("pubspec.lock"), std::nullopt);
  EXPECT_EQ(lockfile_kind("bom.json"), std::nullopt);
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
  write("srv/shop/mix.lock", "");
  auto plan = plan_inventory(config_with_project({"mix.lock"}));
  ASSERT_EQ(plan.sources.size(), 1u);
  ASSERT_TRUE(plan.sources[0].error.has_value());
  EXPECT_EQ(plan.sources[0].error->message,
            "project shop: mix.lock is not a lockfile patchparty reads");
}

TEST_F(InventoryKinds, PlansInstalledApplicationsBinariesAndSboms) {
  write("usr/local/lib/python3.11/dist-packages/x-1.0.dist-info/METADATA", "Name: x\n");
  write("usr/local/lib/python3.12/site-packages/.keep", "");
  write("srv/shop/bin/api", "");
  write("srv/shop/bin/worker", "");
  write("srv/shop/sbom.json", R"({"spdxVersion": "SPDX-2.3", "packages": []})");
  write("srv/shop/bom.json", R"({"bomFormat": "CycloneDX", "specVersion": "1.5"})");
  auto c = config_with_project({"go.mod"});
  write("srv/shop/go.mod", "module x\n");
  c.projects[0].binaries = {"bin/*", "/srv/shop/bin/missing"};
  c.projects[0].sbom = {"sbom.json", "/srv/shop/bom.json"};
  c.inventory.npm_global.enabled = config::Toggle::on;  // and no node_modules under the root
  auto plan = plan_inventory(c);
  std::vector<std::string> got;
  const std::string root = root_.string() + "/";
  for (const auto& s : plan.sources) {
    std::string path = s.path;
    for (auto at = path.find(root); at != std::string::npos; at = path.find(root))
      path.erase(at, root.size());
    got.push_back(s.kind + " " + path + (s.error ? " !" : ""));
  }
  EXPECT_EQ(got, (std::vector<std::string>{
                     "python-site usr/local/lib/python3.11/dist-packages and 1 more",
                     "npm-global /usr/local/lib/node_modules, /usr/lib/node_modules !",
                     "gomod srv/shop/go.mod", "gobinary srv/shop/bin/api",
                     "gobinary srv/shop/bin/missing", "gobinary srv/shop/bin/worker",
                     "spdx srv/shop/sbom.json", "cyclonedx srv/shop/bom.json"}));
  // A named binary that is missing is its source's error when it is read.
  auto missing = std::find_if(plan.sources.begin(), plan.sources.end(),
                              [](const auto& s) { return s.path.ends_with("bin/missing"); });
  ASSERT_NE(missing, plan.sources.end());
  ASSERT_NE(missing->source, nullptr);
  EXPECT_ERRC(missing->source->scan(), Errc::not_found);
}

// What a source read but could not turn into a package is said, one line each, after scan().
TEST_F(InventoryKinds, SourcesSayWhatTheyReadButCouldNotUse) {
  auto notes_of = [](const std::string& kind, const fs::path& file) {
    auto source = inventory_kinds().find(kind)->open_lockfile(file, "app", kDefaultMaxFileBytes);
    EXPECT_TRUE(source->scan().has_value()) << kind;
    return source->notes();
  };
  const fs::path fixtures = testing::test_data("lockfiles/osv-detector-fixtures");
  auto requirements = notes_of("requirements", fixtures / "pip/multiple-packages-mixed.txt");
  ASSERT_FALSE(requirements.empty());
  EXPECT_TRUE(requirements[0].starts_with("not pinned, not inventoried: ")) << requirements[0];
  EXPECT_TRUE(requirements[0].ends_with(":1: flask")) << requirements[0];
  auto maven = notes_of("maven", fixtures / "maven/interpolation.xml");
  ASSERT_EQ(maven.size(), 1u);
  EXPECT_TRUE(maven[0].starts_with("not inventoried: ")) << maven[0];
  write("bom.json", R"({"bomFormat": "CycloneDX", "specVersion": "1.5", "components": [
    {"type": "library", "name": "left-pad", "version": "1.3.0", "purl": "pkg:npm/left-pad@1.3.0"},
    {"type": "library", "name": "in-house", "version": "2.0"}]})");
  auto sbom = notes_of("cyclonedx", root_ / "bom.json");
  ASSERT_EQ(sbom.size(), 2u);
  EXPECT_EQ(sbom[0], "1 components without a usable package URL, not inventoried:");
  EXPECT_TRUE(sbom[1].starts_with("in-house@2.0")) << sbom[1];
  EXPECT_TRUE(
      notes_of("composer", testing::test_data("lockfiles/osv-detector-1-composer.lock")).empty());
}

TEST(InventoryKindsDeathTest, ADuplicateKindAborts) {
  register_builtin_sources();
  EXPECT_DEATH(add_inventory_kind(dpkg_inventory_kind()),
               "inventory source kind 'dpkg' registered twice");
}

}  // namespace
}  // namespace patchparty::inventory
