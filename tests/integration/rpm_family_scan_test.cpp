// Red Hat family hosts as rpm itself makes them, scanned by the real `patchparty scan` against
// the real OSV records each family publishes (../shared/data/osv/distros). The root's rpmdb is
// written by rpmbuild and `rpm -i --justdb`; the expected findings come from
// tests/oracles/rpm_root.py, which reads that rpmdb with librpm and decides every range with
// rpm.labelCompare, independently of patchparty's readers and comparators. Equal sets: nothing
// missed, nothing false, and the fix each finding names.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <set>
#include <sstream>

#include "tests/support/json_string.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty {
namespace {

namespace fs = std::filesystem;
using testing::json_string;

struct Family {
  const char* label;
  const char* records;          // under osv/distros
  const char* record_ecosystem;  // the records' own, to pick the packages installed
  const char* os_id;
  const char* version_id;
  const char* host_ecosystem;  // what the host takes advisories for
  const char* ecosystem_arg;   // --ecosystem, where os-release alone cannot say it
};

std::ostream& operator<<(std::ostream& os, const Family& f) { return os << f.label; }

const std::string kOracle = std::string(PP_SOURCE_DIR) + "/tests/oracles/rpm_root.py";

std::set<std::string> lines(const std::string& text) {
  std::set<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.insert(line);
  return out;
}

class RpmFamilyScan : public ::testing::TestWithParam<Family> {
 protected:
  void SetUp() override { dir_ = testing::temp_dir("rpmfam"); }
  void TearDown() override {
    if (!HasFailure()) fs::remove_all(dir_);
  }
  fs::path dir_;
};

TEST_P(RpmFamilyScan, FindsWhatRpmSaysAndNothingElse) {
  const Family& f = GetParam();
  const fs::path root = dir_ / "root";
  const std::string records = testing::test_data("osv/distros").string() + "/" + f.records;
  auto built = testing::run({"/usr/bin/python3", kOracle, "build", root.string(), records,
                             f.record_ecosystem, f.os_id, f.version_id},
                            dir_, std::nullopt, {}, std::chrono::seconds(600));
  ASSERT_EQ(built.code, 0) << built.err;
  const int packages = std::stoi(built.out);
  ASSERT_GT(packages, 0);

  auto expected_run =
      testing::run({"/usr/bin/python3", kOracle, "expect", root.string(), records,
                    f.host_ecosystem},
                   dir_);
  ASSERT_EQ(expected_run.code, 0) << expected_run.err;
  const std::set<std::string> expected = lines(expected_run.out);
  ASSERT_FALSE(expected.empty()) << "the records cover none of the installed packages";

  std::vector<std::string> argv = {PATCHPARTY_BIN,       "scan",   "--inventory",
                                   "rpm=" + root.string(), "--feed", "osv=" + records,
                                   "--format",           "json"};
  if (*f.ecosystem_arg) argv.insert(argv.end(), {"--ecosystem", f.ecosystem_arg});
  auto scan = testing::run(argv, dir_, std::nullopt, {}, std::chrono::seconds(300));
  ASSERT_EQ(scan.code, 1) << scan.err;
  rapidjson::Document doc;
  doc.Parse(scan.out.c_str());
  ASSERT_FALSE(doc.HasParseError()) << scan.out.substr(0, 2000);
  std::set<std::string> got;
  for (const auto& finding : doc["findings"].GetArray()) {
    const std::string vulnerability = json_string(finding["vulnerability"]);
    got.insert(json_string(finding["package"]["name"]) + "\t" + vulnerability + "\t" +
               (finding["fixed_version"].IsString() ? json_string(finding["fixed_version"])
                                                    : std::string()));
    // A bundle's finding is named by the CVE and keeps the bundle's id among its aliases.
    if (vulnerability.starts_with("CVE-")) {
      std::vector<std::string> aliases;
      for (const auto& a : finding["aliases"].GetArray()) aliases.push_back(json_string(a));
      EXPECT_FALSE(aliases.empty()) << vulnerability;
    }
  }
  std::vector<std::string> missed, extra;
  std::set_difference(expected.begin(), expected.end(), got.begin(), got.end(),
                      std::back_inserter(missed));
  std::set_difference(got.begin(), got.end(), expected.begin(), expected.end(),
                      std::back_inserter(extra));
  EXPECT_THAT(missed, ::testing::IsEmpty()) << "found by rpm's reference, not by the scan";
  EXPECT_THAT(extra, ::testing::IsEmpty()) << "found by the scan, not by rpm's reference";
  RecordProperty("packages", packages);
  RecordProperty("findings", static_cast<int>(got.size()));
  std::cout << f.label << ": " << packages << " packages, " << got.size() << " findings\n";
}

INSTANTIATE_TEST_SUITE_P(
    RealRecords, RpmFamilyScan,
    ::testing::Values(
        Family{"AlmaLinux8", "almalinux/almalinux8", "AlmaLinux:8", "almalinux", "8.10",
               "AlmaLinux:8", ""},
        Family{"AlmaLinux9", "almalinux/almalinux9", "AlmaLinux:9", "almalinux", "9.4",
               "AlmaLinux:9", ""},
        Family{"AlmaLinux10", "almalinux/almalinux10", "AlmaLinux:10", "almalinux", "10.0",
               "AlmaLinux:10", ""},
        Family{"Rocky8", "rocky", "Rocky Linux:8", "rocky", "8.4", "Rocky Linux:8", ""},
        Family{"Rocky9", "rocky", "Rocky Linux:9", "rocky", "9.4", "Rocky Linux:9", ""},
        Family{"RedHatAus86", "redhat", "Red Hat:rhel_aus:8.6::appstream", "rhel", "8.6",
               "Red Hat:rhel_aus:8.6", "Red Hat:rhel_aus:8.6"}),
    [](const auto& info) { return std::string(info.param.label); });

}  // namespace
}  // namespace patchparty
