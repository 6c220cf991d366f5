#include "collectors/inventory/python_site.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/test_data.h"
#include "tests/unit/inventory/lockfile_fixtures.h"

namespace patchparty::inventory {
namespace {

namespace fs = std::filesystem;
using ::testing::Contains;
using testing::expect_error;

// tests/oracles/python_site_oracle.py: importlib.metadata.distributions(path=[dir]) of
// /usr/bin/python3, as "name\tversion" lines and a last "skipped\tN" line.
std::vector<std::string> oracle(const fs::path& dir) {
  std::istringstream in(testing::command_output("/usr/bin/python3 " PP_SOURCE_DIR
                                                "/tests/oracles/python_site_oracle.py '" +
                                                dir.string() + "'"));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::vector<std::string> ours(const PythonSiteScan& scan) {
  std::vector<std::string> lines;
  for (const Package& p : scan.packages) lines.push_back(p.name + "\t" + p.version);
  std::sort(lines.begin(), lines.end());
  lines.push_back("skipped\t" + std::to_string(scan.skipped));
  return lines;
}

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

// A site-packages folder with every kind of record, good and broken.
fs::path make_site(const fs::path& root) {
  const fs::path site = root / "site-packages";
  write(site / "Foo-1.0.dist-info/METADATA",
        "Metadata-Version: 2.1\nName: Foo\nVersion: 1.0\nSummary: a\n\nName: NotThis\n");
  write(site / "Foo-1.0.dist-info/RECORD", "foo/__init__.py,,\n");
  write(site / "bar-2.0.egg-info/PKG-INFO", "Metadata-Version: 1.1\nname: bar\nversion: 2.0\n");
  write(site / "baz-3.0.egg-info", "Metadata-Version: 1.0\r\nName: baz\r\nVersion: 3.0\r\n");
  write(site / "qux-4.0.DIST-INFO/METADATA", "Name: qux\nVersion: 4.0");
  write(site / "fallback-5.0.dist-info/METADATA", "");
  write(site / "fallback-5.0.dist-info/PKG-INFO", "Name: fallback\nVersion: 5.0\n");
  write(site / "broken-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: broken\n");
  fs::create_directories(site / "empty-1.0.dist-info");
  write(site / "foo/__init__.py", "");
  write(site / "notes.txt", "Name: notes\nVersion: 1\n");
  return site;
}

TEST(PythonSite, ReadsDistInfoEggInfoFoldersAndFiles) {
  const fs::path root = testing::temp_dir("site");
  const fs::path site = make_site(root);
  auto r = scan_python_site({site});
  ASSERT_OK(r);
  std::vector<std::pair<std::string, std::string>> found;
  for (const Package& p : r->packages) found.emplace_back(p.name, p.version);
  // Sorted by location.
  EXPECT_EQ(
      found,
      (std::vector<std::pair<std::string, std::string>>{
          {"Foo", "1.0"}, {"bar", "2.0"}, {"baz", "3.0"}, {"fallback", "5.0"}, {"qux", "4.0"}}));
  EXPECT_EQ(r->skipped, 2u);  // broken (no Version) and empty (no metadata file)
  const Package& foo = r->packages.front();
  EXPECT_EQ(foo.ecosystem, "PyPI");
  EXPECT_EQ(foo.origin, "python-site");
  EXPECT_EQ(foo.project, "");
  EXPECT_EQ(foo.location, (site / "Foo-1.0.dist-info").string());
  EXPECT_EQ(foo.source_name, "Foo");
  EXPECT_EQ(foo.source_version, "1.0");
  EXPECT_EQ(r->packages[2].location, (site / "baz-3.0.egg-info").string());

  // Python reads the same tree the same way.
  EXPECT_EQ(ours(*r), oracle(site));
  fs::remove_all(root);
}

TEST(PythonSite, MatchesImportlibOnThisHostsDistPackages) {
  const fs::path dir = "/usr/lib/python3/dist-packages";
  ASSERT_TRUE(fs::is_directory(dir)) << "Debian's python3 is installed by scripts/setup.sh";
  auto r = scan_python_site({dir});
  ASSERT_OK(r);
  // The test oracles' own modules are there on any machine setup.sh prepared: packaging (a
  // dist-info), python-apt and rpm (an egg-info folder and an egg-info file).
  std::set<std::string> names;
  for (const auto& p : r->packages) names.insert(p.name);
  for (const char* name : {"packaging", "python-apt", "rpm"})
    EXPECT_TRUE(names.count(name)) << name;
  const auto expected = oracle(dir);
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(ours(*r), expected);
}

TEST(PythonSite, ReadsOnlyTheHeadersOfBigFiles) {
  const fs::path root = testing::temp_dir("big");
  const fs::path site = root / "site";
  write(site / "long-1.0.dist-info/METADATA",
        "Name: long\nVersion: 1.0\n\n" + std::string(10'000, 'x') + "\n");
  write(site / "cut-1.0.dist-info/METADATA",
        "Name: cut\nSummary: " + std::string(10'000, 'x') + "\nVersion: 1.0\n\n");
  // Cut at 30 bytes inside "1.23456789": read as "1.2345678" if the cut were not noticed.
  write(site / "edge-1.0.dist-info/METADATA", "Name: edge\nVersion: 1.23456789\n\n");
  auto r = scan_python_site({site}, 30);
  ASSERT_OK(r);
  ASSERT_EQ(r->packages.size(), 1u);
  EXPECT_EQ(r->packages[0].name, "long");
  EXPECT_EQ(r->skipped, 2u);
  r = scan_python_site({site}, 1000);
  ASSERT_OK(r);
  EXPECT_EQ(r->packages.size(), 2u);
  fs::remove_all(root);
}

TEST(PythonSite, PassesOverMissingFolders) {
  const fs::path root = testing::temp_dir("missing");
  write(root / "file", "");
  auto r = scan_python_site({root / "nope", root / "file", make_site(root)});
  ASSERT_OK(r);
  EXPECT_EQ(r->packages.size(), 5u);
  fs::remove_all(root);
}

TEST(PythonSite, ParsesMetadataHeaders) {
  auto m = parse_python_metadata("Metadata-Version: 2.1\nNAME:  PyYAML \t\nversion:6.0\n");
  ASSERT_OK(m);
  EXPECT_EQ(m->name, "PyYAML");
  EXPECT_EQ(m->version, "6.0");
  // The first of a repeated header counts; continuation lines are not read.
  m = parse_python_metadata("Name: a\nName: b\nVersion: 1\n  continued\nVersion: 2");
  ASSERT_OK(m);
  EXPECT_EQ(m->name, "a");
  EXPECT_EQ(m->version, "1");
  // The block ends at an empty line or at a line that is not a header.
  expect_error(parse_python_metadata("Name: a\n\nVersion: 1\n"), Errc::invalid_argument,
               "no Version header");
  expect_error(parse_python_metadata("Name: a\nnot a header\nVersion: 1\n"), Errc::invalid_argument,
               "no Version header");
  expect_error(parse_python_metadata("Version: 1\n"), Errc::invalid_argument, "no Name header");
  expect_error(parse_python_metadata(""), Errc::invalid_argument, "no Name header");
  expect_error(parse_python_metadata("Name: a b\nVersion: 1\n"), Errc::invalid_argument,
               "Name is not printable ASCII");
  expect_error(parse_python_metadata("Name: a\nVersion: \n"), Errc::invalid_argument,
               "Version is not printable ASCII");
  expect_error(parse_python_metadata("Name: caf\xc3\xa9\nVersion: 1\n"), Errc::invalid_argument,
               "Name is not printable ASCII");
}

TEST(PythonSite, DefaultFoldersAreDebians) {
  const auto dirs = default_python_site_dirs();
  ASSERT_FALSE(dirs.empty());
  EXPECT_EQ(dirs.front(), fs::path("/usr/lib/python3/dist-packages"));
  for (const auto& entry : fs::directory_iterator("/usr/local/lib")) {
    if (!entry.path().filename().string().starts_with("python3.")) continue;
    EXPECT_THAT(dirs, Contains(entry.path() / "dist-packages"));
    EXPECT_THAT(dirs, Contains(entry.path() / "site-packages"));
  }
  for (const fs::path& d : dirs) {
    const std::string s = d.string();
    EXPECT_TRUE(s == "/usr/lib/python3/dist-packages" || s.starts_with("/usr/local/lib/python3.") ||
                s.starts_with("/usr/lib/python3."))
        << s;
  }

  PythonSite host;
  EXPECT_EQ(host.name(), "python-site");
  auto r = host.scan();
  ASSERT_OK(r);
  auto debian = scan_python_site({"/usr/lib/python3/dist-packages"});
  ASSERT_OK(debian);
  EXPECT_GE(r->size(), debian->packages.size());
  EXPECT_GE(host.skipped(), debian->skipped);
}

TEST(PythonSite, SourceCountsSkippedRecords) {
  const fs::path root = testing::temp_dir("source");
  PythonSite source({make_site(root)});
  EXPECT_EQ(source.skipped(), 0u);
  auto r = source.scan();
  ASSERT_OK(r);
  EXPECT_EQ(r->size(), 5u);
  EXPECT_EQ(source.skipped(), 2u);
  fs::remove_all(root);
}

}  // namespace
}  // namespace patchparty::inventory
