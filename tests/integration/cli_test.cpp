// The patchparty command line as operators and pipelines use it: output and exit codes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
#include <set>

#include "tests/support/scratch_files.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty {
namespace {

using ::testing::HasSubstr;
using testing::write_file;

// `patchparty inventory --json` with `dir`/pp.yml: it must exit 0 and print JSON, read into `doc`.
void read_inventory_json(const std::filesystem::path& dir, rapidjson::Document& doc) {
  auto r = testing::run(
      {PATCHPARTY_BIN, "inventory", "--json", "--config", (dir / "pp.yml").string()}, dir);
  ASSERT_EQ(r.code, 0) << r.err;
  doc.Parse(r.out.c_str());
  ASSERT_FALSE(doc.HasParseError());
}

TEST(Cli, VersionFlag) {
  auto dir = testing::temp_dir("version");
  auto r = testing::run({PATCHPARTY_BIN, "--version"}, dir);
  EXPECT_EQ(r.code, 0);
  EXPECT_THAT(r.out, HasSubstr("patchparty " PP_VERSION));
}

TEST(Cli, CheckConfigAcceptsTheExampleAndRejectsErrors) {
  auto dir = testing::temp_dir("checkconfig");
  auto ok = testing::run({PATCHPARTY_BIN, "check-config",
                          std::string(PP_SOURCE_DIR) + "/config/patchparty.example.yml"},
                         dir);
  EXPECT_EQ(ok.code, 0) << ok.err;
  write_file(dir / "bad.yml", "inventory:\n  dpkg:\n    enabled: maybe\n");
  auto bad = testing::run({PATCHPARTY_BIN, "check-config", (dir / "bad.yml").string()}, dir);
  EXPECT_EQ(bad.code, 2);
  EXPECT_THAT(bad.err, HasSubstr("bad.yml:3:14: inventory.dpkg.enabled: 'maybe' is not one of"));
  auto missing = testing::run({PATCHPARTY_BIN, "check-config", (dir / "none.yml").string()}, dir);
  EXPECT_EQ(missing.code, 2);
}

TEST(Cli, UnknownSubcommandIsAUsageError) {
  auto dir = testing::temp_dir("usage");
  EXPECT_EQ(testing::run({PATCHPARTY_BIN, "frobnicate"}, dir).code, 2);
}

// The live inventory in JSON lists exactly what dpkg-query lists for this host.
TEST(Cli, InventoryJsonMatchesDpkgQuery) {
  auto dir = testing::temp_dir("inventory");
  write_file(dir / "pp.yml",
             "inventory:\n  rpm: {enabled: false}\n  apk: {enabled: false}\n"
             "  python_site: {enabled: false}\n  npm_global: {enabled: false}\n");
  rapidjson::Document doc;
  ASSERT_NO_FATAL_FAILURE(read_inventory_json(dir, doc));
  EXPECT_STREQ(doc["schema"].GetString(), "patchparty.inventory/v1");
  std::set<std::string> ours;
  for (const auto& p : doc["packages"].GetArray()) {
    EXPECT_STREQ(p["origin"].GetString(), "dpkg");
    ours.insert(std::string(p["name"].GetString()) + "=" + p["version"].GetString());
  }
  auto q = testing::run(
      {"/usr/bin/dpkg-query", "-W", "-f=${db:Status-Abbrev}\t${Package}=${Version}\n"}, dir);
  ASSERT_EQ(q.code, 0);
  std::set<std::string> theirs;
  std::istringstream lines(q.out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("ii", 0) == 0 || line.rfind("hi", 0) == 0)
      theirs.insert(line.substr(line.find('\t') + 1));
  }
  EXPECT_FALSE(theirs.empty());
  EXPECT_EQ(ours, theirs);
}

TEST(Cli, InventoryTableIsAligned) {
  auto dir = testing::temp_dir("table");
  auto r = testing::run({PATCHPARTY_BIN, "inventory"}, dir);
  ASSERT_EQ(r.code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string header, first;
  std::getline(lines, header);
  std::getline(lines, first);
  EXPECT_EQ(header.rfind("ORIGIN", 0), 0u);
  // Column starts line up: VERSION in the header sits where the version column starts.
  auto col = header.find("VERSION");
  ASSERT_NE(col, std::string::npos);
  EXPECT_NE(first[col], ' ');
  EXPECT_EQ(first[col - 1], ' ');
}

TEST(Cli, InventoryOfAProjectLockfile) {
  auto dir = testing::temp_dir("project");
  std::filesystem::create_directories(dir / "shop");
  std::filesystem::copy_file(testing::test_data("lockfiles/osv-detector-1-composer.lock"),
                             dir / "shop" / "composer.lock");
  write_file(dir / "pp.yml",
             "inventory:\n  dpkg: {enabled: false}\n  rpm: {enabled: false}\n"
             "  apk: {enabled: false}\n  python_site: {enabled: false}\n"
             "  npm_global: {enabled: false}\nprojects:\n  - name: shop\n    path: " +
                 (dir / "shop").string() + "\n");
  rapidjson::Document doc;
  ASSERT_NO_FATAL_FAILURE(read_inventory_json(dir, doc));
  ASSERT_GT(doc["packages"].Size(), 0u);
  for (const auto& p : doc["packages"].GetArray()) {
    EXPECT_STREQ(p["project"].GetString(), "shop");
    EXPECT_STREQ(p["ecosystem"].GetString(), "Packagist");
  }
}

// (ecosystem name version) of every package of `patchparty inventory --json`'s output.
std::multiset<std::string> listed(const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  std::multiset<std::string> out;
  if (doc.HasParseError() || !doc.IsObject()) return out;
  for (const auto& p : doc["packages"].GetArray())
    out.insert(std::string(p["ecosystem"].GetString()) + " " + p["name"].GetString() + " " +
               p["version"].GetString());
  return out;
}

// Files named on the command line, no configuration; their CycloneDX SBOM is valid against
// CycloneDX's own 1.5 schema and reads back as the same packages.
TEST(Cli, InventoryOfNamedFilesAsACycloneDxSbomThatReadsBack) {
  auto dir = testing::temp_dir("sbom");
  const std::string yarn =
      "yarn=" + testing::test_data("lockfiles/osv-detector-1-yarn.lock").string();
  // A directory means the kind's usual file in it.
  const auto poetry_dir = dir / "py";
  std::filesystem::create_directories(poetry_dir);
  std::filesystem::copy_file(testing::test_data("lockfiles/osv-detector-1-poetry.lock"),
                             poetry_dir / "poetry.lock");
  const std::string poetry = "poetry=" + poetry_dir.string();
  const std::string pom =
      "maven=" + testing::test_data("lockfiles/osv-detector-1-pom.xml").string();
  auto json = testing::run({PATCHPARTY_BIN, "inventory", "--inventory", yarn, "--inventory", poetry,
                            "--inventory", pom, "--json"},
                           dir);
  ASSERT_EQ(json.code, 0) << json.err;
  const auto packages = listed(json.out);
  // osv-detector's counts for the same files: found 1678, 142 and 5 packages.
  EXPECT_EQ(packages.size(), 1678u + 142u + 5u);

  auto sbom =
      testing::run({PATCHPARTY_BIN, "inventory", "--inventory", yarn, "--inventory", poetry,
                    "--inventory", pom, "--format", "cyclonedx", "-o", (dir / "bom.json").string()},
                   dir);
  ASSERT_EQ(sbom.code, 0) << sbom.err;
  auto valid = testing::run(
      {"/usr/bin/node",
       (std::filesystem::path(PP_SOURCE_DIR) / "tests/oracles/cyclonedx_validate.js").string(),
       "1.5", (dir / "bom.json").string()},
      dir);
  EXPECT_EQ(valid.code, 0) << valid.out << valid.err;

  auto back = testing::run({PATCHPARTY_BIN, "inventory", "--inventory",
                            "cyclonedx=" + (dir / "bom.json").string(), "--json"},
                           dir);
  ASSERT_EQ(back.code, 0) << back.err;
  EXPECT_EQ(listed(back.out), packages);
}

TEST(Cli, InventoryOfAnUnknownKindOrADirectoryForANamedKindExitsTwo) {
  auto dir = testing::temp_dir("kinds");
  auto unknown =
      testing::run({PATCHPARTY_BIN, "inventory", "--inventory", "mix=" + dir.string()}, dir);
  EXPECT_EQ(unknown.code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("'mix': unknown kind"));
  auto named =
      testing::run({PATCHPARTY_BIN, "inventory", "--inventory", "gobinary=" + dir.string()}, dir);
  EXPECT_EQ(named.code, 2);
  EXPECT_THAT(named.err, HasSubstr("is a directory; name the file"));
}

TEST(Cli, InventoryReportsABrokenLockfileAndExitsTwo) {
  auto dir = testing::temp_dir("broken");
  std::filesystem::create_directories(dir / "app");
  write_file(dir / "app" / "package-lock.json", "{\"lockfileVersion\": 2, \"packages\": {");
  write_file(dir / "pp.yml",
             "inventory:\n  dpkg: {enabled: false}\nprojects:\n  - name: app\n"
             "    path: " +
                 (dir / "app").string() + "\n");
  auto r = testing::run({PATCHPARTY_BIN, "inventory", "--config", (dir / "pp.yml").string()}, dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_THAT(r.err, HasSubstr("package-lock.json"));
}

TEST(Cli, VersionsCompareAndSatisfies) {
  auto dir = testing::temp_dir("versions");
  auto lt = testing::run(
      {PATCHPARTY_BIN, "versions", "compare", "--ecosystem", "Debian:12", "1.0~rc1", "1.0"}, dir);
  EXPECT_EQ(lt.code, 0) << lt.err;
  EXPECT_EQ(lt.out, "<\n");
  auto yes = testing::run(
      {PATCHPARTY_BIN, "versions", "satisfies", "--ecosystem", "npm", "1.2.3", "^1.0.0 || ^2.0.0"},
      dir);
  EXPECT_EQ(yes.code, 0) << yes.err;
  auto no = testing::run({PATCHPARTY_BIN, "versions", "satisfies", "--ecosystem", "Packagist",
                          "4.4.13", ">=4.4.0,<4.4.13"},
                         dir);
  EXPECT_EQ(no.code, 1) << no.err;
  auto dpkg = testing::run({PATCHPARTY_BIN, "versions", "satisfies", "--ecosystem", "Debian:12",
                            "2.36-9+deb12u3", ">= 2.36-9, < 2.36-9+deb12u4"},
                           dir);
  EXPECT_EQ(dpkg.code, 0) << dpkg.err;
  auto bad = testing::run(
      {PATCHPARTY_BIN, "versions", "compare", "--ecosystem", "Nowhere", "1", "2"}, dir);
  EXPECT_EQ(bad.code, 2);
}

TEST(Cli, VersionsCompareBatchReadsStdin) {
  auto dir = testing::temp_dir("batch");
  write_file(dir / "pairs", "1.0 1.0\n1:0.9 2.0\n2.0 1.0~\nx:1.0 1.0\n");
  auto r = testing::run({PATCHPARTY_BIN, "versions", "compare", "--ecosystem", "Debian"}, dir,
                        dir / "pairs");
  EXPECT_EQ(r.code, 2);  // one line could not be compared
  std::istringstream lines(r.out);
  std::vector<std::string> got;
  std::string l;
  while (std::getline(lines, l)) got.push_back(l);
  ASSERT_EQ(got.size(), 4u) << r.out;
  EXPECT_EQ(got[0], "=");
  EXPECT_EQ(got[1], ">");
  EXPECT_EQ(got[2], ">");
  EXPECT_THAT(got[3], HasSubstr("error:"));
}

}  // namespace
}  // namespace patchparty
