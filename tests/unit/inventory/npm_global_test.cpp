#include "collectors/inventory/npm_global.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <filesystem>
#include <fstream>
#include <string>
#include <tuple>
#include <vector>

#include "tests/support/test_data.h"

namespace patchparty::inventory {
namespace {

namespace fs = std::filesystem;
using Row = std::tuple<std::string, std::string, std::string>;  // name, version, location

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file) << text;
}

std::vector<Row> rows(const std::vector<Package>& packages) {
  std::vector<Row> out;
  for (const Package& p : packages) out.emplace_back(p.name, p.version, p.location);
  return out;
}

// A global node_modules as `npm install -g` leaves it, with the oddities a host collects.
fs::path make_prefix(const fs::path& root) {
  const fs::path nm = root / "lib/node_modules";
  write(nm / "npm/package.json", R"({"name": "npm", "version": "10.8.2", "bin": {"npm": "x"}})");
  // A global package's own dependencies, installed inside it, two levels deep.
  write(nm / "npm/node_modules/semver/package.json", R"({"name": "semver", "version": "7.6.3"})");
  write(nm / "npm/node_modules/@npmcli/arborist/package.json",
        R"({"name": "@npmcli/arborist", "version": "7.5.4"})");
  write(nm / "npm/node_modules/semver/node_modules/lru-cache/package.json",
        R"({"name": "lru-cache", "version": "6.0.0"})");
  write(nm / "@angular/cli/package.json", R"({"name": "@angular/cli", "version": "17.3.8"})");
  write(nm / "@vue/cli/package.json", R"({"version": "5.0.8", "name": "@vue/cli"})");
  write(nm / "broken/package.json", R"({"name": "broken", "version": )");
  write(nm / "no-version/package.json", R"({"name": "no-version"})");
  write(nm / "numeric-version/package.json", R"({"name": "numeric-version", "version": 1})");
  write(nm / "spaced/package.json", R"({"name": "spaced", "version": "1.0.0 beta"})");
  fs::create_directories(nm / "no-manifest");
  write(nm / ".bin/npm", "#!/bin/sh\n");
  write(nm / ".package-lock.json", "{}");
  write(root / "work/linked/package.json", R"({"name": "linked", "version": "0.0.1"})");
  fs::create_directory_symlink(root / "work/linked", nm / "linked");
  write(nm / "stray-file", "not a package folder");
  return nm;
}

TEST(NpmGlobal, ReadsTopLevelAndScopedPackagesAndCountsBrokenOnes) {
  const fs::path root = testing::temp_dir("prefix");
  const fs::path nm = make_prefix(root);
  auto r = scan_npm_global({root / "missing/lib/node_modules", nm}, kDefaultMaxFileBytes);
  ASSERT_OK(r);
  const fs::path npm_deps = nm / "npm/node_modules";
  EXPECT_EQ(rows(r->packages),
            (std::vector<Row>{
                {"@angular/cli", "17.3.8", (nm / "@angular/cli").string()},
                {"@vue/cli", "5.0.8", (nm / "@vue/cli").string()},
                {"npm", "10.8.2", (nm / "npm").string()},
                {"@npmcli/arborist", "7.5.4", (npm_deps / "@npmcli/arborist").string()},
                {"semver", "7.6.3", (npm_deps / "semver").string()},
                {"lru-cache", "6.0.0", (npm_deps / "semver/node_modules/lru-cache").string()},
            }));
  // broken, no-version, numeric-version, spaced, no-manifest
  EXPECT_EQ(r->skipped, 5u);
  for (const Package& p : r->packages) {
    EXPECT_EQ(p.ecosystem, "npm");
    EXPECT_EQ(p.origin, "npm-global");
    EXPECT_EQ(p.project, "");
    EXPECT_EQ(p.source_name, p.name);
    EXPECT_EQ(p.source_version, p.version);
    EXPECT_FALSE(p.dev);
  }
  fs::remove_all(root);
}

// A tree nested far deeper than any real one is read to kMaxNpmNesting levels, without
// recursion, and the reading stops there.
TEST(NpmGlobal, NestingIsBoundedAndNeedsNoStack) {
  const fs::path root = testing::temp_dir("deep");
  fs::path dir = root / "node_modules";
  for (int i = 0; i < kMaxNpmNesting + 10; ++i) {
    dir /= "p" + std::to_string(i);
    write(dir / "package.json", R"({"name": "p)" + std::to_string(i) + R"(", "version": "1.0.0"})");
    dir /= "node_modules";
  }
  auto r = scan_npm_global({root / "node_modules"});
  ASSERT_OK(r);
  EXPECT_EQ(r->packages.size(), static_cast<std::size_t>(kMaxNpmNesting) + 1);
  EXPECT_EQ(r->packages.back().name, "p" + std::to_string(kMaxNpmNesting));
  fs::remove_all(root);
}

TEST(NpmGlobal, PackageJsonErrorsSayWhatIsWrong) {
  auto ok = parse_npm_package_json(R"({"name": "x", "version": "1.0.0"})", "/n/x");
  ASSERT_OK(ok);
  EXPECT_EQ(ok->location, "/n/x");
  EXPECT_ERRC(parse_npm_package_json(R"({"name": )", "/n/x"), Errc::data_loss);
  EXPECT_ERRC(parse_npm_package_json("[]", "/n/x"), Errc::invalid_argument);
  EXPECT_ERRC(parse_npm_package_json(R"({"name": "x", "version": 1})", "/n/x"),
              Errc::invalid_argument);
}

TEST(NpmGlobal, OversizedPackageJsonIsSkipped) {
  const fs::path root = testing::temp_dir("cap");
  const fs::path nm = root / "node_modules";
  write(nm / "small/package.json", R"({"name": "small", "version": "1.0.0"})");
  write(nm / "large/package.json", R"({"name": "large", "version": "1.0.0", "description": ")" +
                                       std::string(4096, 'x') + "\"}");
  auto r = scan_npm_global({nm}, 1024);
  ASSERT_OK(r);
  ASSERT_EQ(r->packages.size(), 1u);
  EXPECT_EQ(r->packages[0].name, "small");
  EXPECT_EQ(r->skipped, 1u);
  fs::remove_all(root);
}

TEST(NpmGlobal, SourceKeepsTheSkippedCount) {
  const fs::path root = testing::temp_dir("source");
  const fs::path nm = make_prefix(root);
  NpmGlobal source({nm});
  EXPECT_EQ(source.name(), "npm-global");
  EXPECT_EQ(source.skipped(), 0u);
  auto r = source.scan();
  ASSERT_OK(r);
  EXPECT_EQ(r->size(), 6u);  // three installed, three of their dependencies
  EXPECT_EQ(source.skipped(), 5u);
  fs::remove_all(root);
}

TEST(NpmGlobal, MissingDirectoriesAreNoPackages) {
  const fs::path root = testing::temp_dir("missing");
  write(root / "a-file", "x");
  auto r = scan_npm_global({root / "nonexistent", root / "a-file", root / "a-file/node_modules"},
                           kDefaultMaxFileBytes);
  ASSERT_OK(r);
  EXPECT_TRUE(r->packages.empty());
  EXPECT_EQ(r->skipped, 0u);
  fs::remove_all(root);
}

TEST(NpmGlobal, DirectoryThatCannotBeListedIsAnError) {
  // Root reads through permission bits, so the refusal comes from the kernel's path limit.
  const fs::path too_long = "/tmp/" + std::string(5000, 'a');
  auto r = scan_npm_global({too_long}, kDefaultMaxFileBytes);
  ASSERT_FALSE(r.has_value());
  EXPECT_THAT(r.error().message, ::testing::HasSubstr("/tmp/aaaa"));
}

TEST(NpmGlobal, DefaultDirectoriesAreTheLinuxGlobalPrefixes) {
  EXPECT_EQ(default_npm_global_dirs(),
            (std::vector<fs::path>{"/usr/local/lib/node_modules", "/usr/lib/node_modules"}));
}

TEST(NpmGlobal, ThisHostsGlobalPackagesAllHaveNameAndVersion) {
  std::size_t folders = 0;  // package folders and scopes, as `ls` shows them
  for (const fs::path& dir : default_npm_global_dirs()) {
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir))
      if (entry.path().filename().string().front() != '.' && !entry.is_symlink()) ++folders;
  }
  NpmGlobal source;
  auto r = source.scan();
  ASSERT_OK(r);
  // Where the host has global packages (node from NodeSource puts npm and corepack in
  // /usr/lib/node_modules), they are all read, none skipped.
  EXPECT_EQ(r->empty(), folders == 0);
  EXPECT_EQ(source.skipped(), 0u);
  for (const Package& p : *r) {
    SCOPED_TRACE(p.location);
    EXPECT_FALSE(p.name.empty());
    EXPECT_FALSE(p.version.empty());
    EXPECT_EQ(p.ecosystem, "npm");
    EXPECT_EQ(p.origin, "npm-global");
    EXPECT_TRUE(fs::exists(fs::path(p.location) / "package.json"));
    // The folder is named for the package, scoped names included.
    EXPECT_TRUE(p.location.ends_with("/" + p.name));
  }
}

}  // namespace
}  // namespace patchparty::inventory
