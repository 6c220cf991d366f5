// Packages a third party ships on a Debian host, told apart the way apt tells them: a root whose
// apt lists are written by the real `apt-get update` from two repositories built with dpkg-deb,
// dpkg-scanpackages and apt-ftparchive (the distribution's and "Example Vendor"'s), as plain and
// as compressed files. tests/oracles/apt_origins.py asks apt's own cache (python3-apt) for each
// installed version's files; the dpkg inventory must name the same supplier, and the real
// `patchparty scan` must carry it into the findings against Debian's real DLA records.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <map>
#include <set>
#include <sstream>

#include "collectors/inventory/dpkg_status.h"
#include "tests/support/json_string.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty {
namespace {

namespace fs = std::filesystem;
using testing::json_string;

const std::string kOracle = std::string(PP_SOURCE_DIR) + "/tests/oracles/apt_origins.py";

class ThirdPartyOrigin : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    dir_ = testing::temp_dir("aptorigin");
    root_ = dir_ / "root";
    auto built = testing::run(
        {"/usr/bin/python3", kOracle, "build", root_.string(), GetParam() ? "true" : "false"}, dir_,
        std::nullopt, {}, std::chrono::seconds(300));
    ASSERT_EQ(built.code, 0) << built.err;
    auto expected = testing::run(
        {"/usr/bin/python3", kOracle, "expect", root_.string(), "Debian", "Debian Backports"},
        dir_);
    ASSERT_EQ(expected.code, 0) << expected.err;
    expected_ = testing::output_lines(expected.out);
  }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }

  // name -> the oracle's "supplier<TAB>third_party<TAB>newest"
  std::map<std::string, std::vector<std::string>> expected_by_name() const {
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& l : expected_) {
      std::vector<std::string> cols;
      std::istringstream in(l);
      for (std::string c; std::getline(in, c, '\t');) cols.push_back(c);
      cols.resize(4);
      out[cols[0].substr(0, cols[0].find(':'))] = {cols[1], cols[2], cols[3]};
    }
    return out;
  }

  fs::path dir_, root_;
  std::set<std::string> expected_;
};

TEST_P(ThirdPartyOrigin, InventoryNamesTheSupplierAptsOwnCacheNames) {
  // Both forms apt keeps lists in are really on disk.
  bool compressed = false, plain = false;
  for (const auto& e : fs::directory_iterator(root_ / "var/lib/apt/lists")) {
    const std::string name = e.path().filename().string();
    plain = plain || name.ends_with("_Packages");
    compressed = compressed || name.find("_Packages.") != std::string::npos;
  }
  EXPECT_EQ(compressed, GetParam());
  EXPECT_EQ(plain, !GetParam());

  inventory::DpkgStatusOptions o;
  o.root = root_;
  inventory::DpkgStatus dpkg("Debian:9", o);
  auto packages = dpkg.scan();
  ASSERT_TRUE(packages) << packages.error().message;
  std::set<std::string> got;
  for (const Package& p : *packages) {
    got.insert(p.name + ":" + p.arch + "\t" + p.supplier + "\t" + (p.third_party ? "1" : "0") +
               "\t" + p.supplier_newest);
  }
  EXPECT_EQ(got, expected_);
  // Every case of the rule occurs: the distribution's, a third party's exact version, a third
  // party's older build of a package only it ships, and an older build no list holds.
  auto by_name = expected_by_name();
  EXPECT_EQ(by_name["libssl1.1"][0], "Debian");
  EXPECT_EQ(by_name["libxml2"][1], "1");
  EXPECT_EQ(by_name["dpkg"][1], "1");
  EXPECT_EQ(by_name["tzdata"][0], "");
}

TEST_P(ThirdPartyOrigin, FindingsCarryTheOriginAndNeverPromiseTheDistributionsFix) {
  const std::string records = testing::test_data("debian/osv").string();
  auto scan = testing::run({PATCHPARTY_BIN, "scan", "--inventory", "dpkg=" + root_.string(),
                            "--feed", "osv=" + records, "--format", "json"},
                           dir_, std::nullopt, {}, std::chrono::seconds(300));
  ASSERT_EQ(scan.code, 1) << scan.err;
  rapidjson::Document doc;
  doc.Parse(scan.out.c_str());
  ASSERT_FALSE(doc.HasParseError()) << scan.out.substr(0, 2000);
  auto expected = expected_by_name();
  std::set<std::string> packages;
  for (const auto& f : doc["findings"].GetArray()) {
    const std::string name = json_string(f["package"]["name"]);
    packages.insert(name);
    ASSERT_TRUE(expected.count(name)) << name;
    const auto& want = expected[name];
    const bool third = want[1] == "1";
    EXPECT_EQ(json_string(f["origin"]), third ? "third-party" : "distribution") << name;
    if (want[0].empty()) {
      EXPECT_TRUE(f["package"]["supplier"].IsNull()) << name;
    } else {
      EXPECT_EQ(json_string(f["package"]["supplier"]), want[0]) << name;
    }
    if (third) {
      const std::string note = json_string(f["origin_note"]);
      EXPECT_THAT(note, ::testing::HasSubstr("comes from " + want[0])) << name;
      EXPECT_THAT(note, ::testing::HasSubstr("offers " + want[2])) << name;
      // The fixed version stays what the record says, named as the distribution's.
      EXPECT_THAT(note,
                  ::testing::HasSubstr("the distribution's fix " + json_string(f["fixed_version"])))
          << name;
    } else {
      EXPECT_TRUE(f["origin_note"].IsNull()) << name;
    }
  }
  // The four packages Debian 9's records cover at an affected version; curl has no record.
  EXPECT_EQ(packages, (std::set<std::string>{"dpkg", "libssl1.1", "libxml2", "tzdata"}));

  auto table = testing::run(
      {PATCHPARTY_BIN, "scan", "--inventory", "dpkg=" + root_.string(), "--feed", "osv=" + records},
      dir_, std::nullopt, {}, std::chrono::seconds(300));
  ASSERT_EQ(table.code, 1) << table.err;
  EXPECT_THAT(table.out, ::testing::HasSubstr("third party (Example Vendor)"));
}

// The same comparison over this machine's own dpkg database and apt lists (Debian's real
// archive lists, compressed or not as this machine's apt keeps them).
TEST(ThirdPartyOriginOnThisMachine, InventoryAgreesWithAptsOwnCache) {
  const fs::path dir = testing::temp_dir("aptorigin-host");
  auto expected =
      testing::run({"/usr/bin/python3", kOracle, "expect", "/", "Debian", "Debian Backports"}, dir,
                   std::nullopt, {}, std::chrono::seconds(300));
  ASSERT_EQ(expected.code, 0) << expected.err;
  inventory::DpkgStatus dpkg("Debian:12", {});
  auto packages = dpkg.scan();
  ASSERT_TRUE(packages) << packages.error().message;
  std::set<std::string> got;
  std::size_t supplied = 0;
  for (const Package& p : *packages) {
    got.insert(p.name + ":" + p.arch + "\t" + p.supplier + "\t" + (p.third_party ? "1" : "0") +
               "\t" + p.supplier_newest);
    if (!p.supplier.empty()) ++supplied;
  }
  EXPECT_EQ(got, testing::output_lines(expected.out));
  std::cout << packages->size() << " installed packages, " << supplied
            << " found in this machine's apt lists\n";
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(AptLists, ThirdPartyOrigin, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Compressed" : "Plain"; });

}  // namespace
}  // namespace patchparty
