// Red Hat family and Ubuntu hosts scanned by the real `patchparty scan` against the real OSV
// records each family publishes (../shared/data/osv/distros). An RPM root's rpmdb is written by
// rpmbuild and `rpm -i --justdb`, and tests/oracles/rpm_root.py reads it back with librpm and
// decides every range with rpm.labelCompare; an Ubuntu root's dpkg status is read by
// tests/oracles/deb_root.py with apt_pkg and decided with apt_pkg.version_compare. Both are
// independent of patchparty's readers and comparators. Equal sets: nothing missed, nothing
// false, and the fix each finding names.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <fstream>
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
  const char* oracle;              // tests/oracles/: rpm_root.py or deb_root.py
  const char* records;             // under osv/distros
  const char* database;            // the --inventory kind: rpm or dpkg
  std::vector<std::string> build;  // the oracle's build arguments after ROOT RECORDS_DIR
  const char* host_ecosystem;      // what the host takes advisories for
  const char* ecosystem_arg;       // --ecosystem, where the root alone cannot say it
};

std::ostream& operator<<(std::ostream& os, const Family& f) {
  return os << f.label;
}

std::string oracle(const Family& f) {
  return std::string(PP_SOURCE_DIR) + "/tests/oracles/" + f.oracle;
}

// "package<TAB>vulnerability<TAB>fixed", the line the oracles print for a finding.
std::string finding_line(const rapidjson::Value& finding) {
  return json_string(finding["package"]["name"]) + "\t" + json_string(finding["vulnerability"]) +
         "\t" +
         (finding["fixed_version"].IsString() ? json_string(finding["fixed_version"])
                                              : std::string());
}

// A scratch directory per case, kept when the case fails so its root can be looked at.
template <class Param>
class ScratchRootTest : public ::testing::TestWithParam<Param> {
 protected:
  void SetUp() override { dir_ = testing::temp_dir("distscan"); }
  void TearDown() override {
    if (!this->HasFailure()) fs::remove_all(dir_);
  }
  fs::path dir_;
};

class DistributionScan : public ScratchRootTest<Family> {};

TEST_P(DistributionScan, FindsWhatTheDistributionsToolSaysAndNothingElse) {
  const Family& f = GetParam();
  const fs::path root = dir_ / "root";
  const std::string records = testing::test_data("osv/distros").string() + "/" + f.records;
  std::vector<std::string> build = {"/usr/bin/python3", oracle(f), "build", root.string(), records};
  build.insert(build.end(), f.build.begin(), f.build.end());
  auto built = testing::run(build, dir_, std::nullopt, {}, std::chrono::seconds(600));
  ASSERT_EQ(built.code, 0) << built.err;
  const int packages = std::stoi(built.out);
  ASSERT_GT(packages, 0);

  auto expected_run = testing::run(
      {"/usr/bin/python3", oracle(f), "expect", root.string(), records, f.host_ecosystem}, dir_);
  ASSERT_EQ(expected_run.code, 0) << expected_run.err;
  const std::set<std::string> expected = testing::output_lines(expected_run.out);
  ASSERT_FALSE(expected.empty()) << "the records cover none of the installed packages";

  std::vector<std::string> argv = {PATCHPARTY_BIN, "scan",
                                   "--inventory",  std::string(f.database) + "=" + root.string(),
                                   "--feed",       "osv=" + records,
                                   "--format",     "json"};
  if (*f.ecosystem_arg) argv.insert(argv.end(), {"--ecosystem", f.ecosystem_arg});
  auto scan = testing::run(argv, dir_, std::nullopt, {}, std::chrono::seconds(300));
  ASSERT_EQ(scan.code, 1) << scan.err;
  rapidjson::Document doc;
  doc.Parse(scan.out.c_str());
  ASSERT_FALSE(doc.HasParseError()) << scan.out.substr(0, 2000);
  std::set<std::string> got;
  for (const auto& finding : doc["findings"].GetArray()) {
    const std::string vulnerability = json_string(finding["vulnerability"]);
    got.insert(finding_line(finding));
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
  // Module builds against non-module fixes: problems on stderr, as many as the reference skips.
  const std::string skipped = "stream mismatches: ";
  if (const auto at = expected_run.err.find(skipped); at != std::string::npos) {
    const int mismatches = std::stoi(expected_run.err.substr(at + skipped.size()));
    int reported = 0;
    for (std::size_t i = scan.err.find("different streams"); i != std::string::npos;
         i = scan.err.find("different streams", i + 1))
      ++reported;
    EXPECT_EQ(reported, mismatches) << scan.err.substr(0, 2000);
    std::cout << f.label << ": " << mismatches << " stream mismatches reported\n";
  }
  EXPECT_THAT(missed, ::testing::IsEmpty()) << "found by rpm's reference, not by the scan";
  EXPECT_THAT(extra, ::testing::IsEmpty()) << "found by the scan, not by rpm's reference";
  RecordProperty("packages", packages);
  RecordProperty("findings", static_cast<int>(got.size()));
  std::cout << f.label << ": " << packages << " packages, " << got.size() << " findings\n";
}

INSTANTIATE_TEST_SUITE_P(
    RealRecords, DistributionScan,
    ::testing::Values(Family{"AlmaLinux8",
                             "rpm_root.py",
                             "almalinux/almalinux8",
                             "rpm",
                             {"AlmaLinux:8", "almalinux", "8.10"},
                             "AlmaLinux:8",
                             ""},
                      Family{"AlmaLinux9",
                             "rpm_root.py",
                             "almalinux/almalinux9",
                             "rpm",
                             {"AlmaLinux:9", "almalinux", "9.4"},
                             "AlmaLinux:9",
                             ""},
                      Family{"AlmaLinux10",
                             "rpm_root.py",
                             "almalinux/almalinux10",
                             "rpm",
                             {"AlmaLinux:10", "almalinux", "10.0"},
                             "AlmaLinux:10",
                             ""},
                      Family{"Rocky8",
                             "rpm_root.py",
                             "rocky",
                             "rpm",
                             {"Rocky Linux:8", "rocky", "8.4"},
                             "Rocky Linux:8",
                             ""},
                      Family{"Rocky9",
                             "rpm_root.py",
                             "rocky",
                             "rpm",
                             {"Rocky Linux:9", "rocky", "9.4"},
                             "Rocky Linux:9",
                             ""},
                      Family{"RedHatAus86",
                             "rpm_root.py",
                             "redhat",
                             "rpm",
                             {"Red Hat:rhel_aus:8.6::appstream", "rhel", "8.6"},
                             "Red Hat:rhel_aus:8.6",
                             "Red Hat:rhel_aus:8.6"},
                      // Ubuntu: source packages, apt's ordering; a Pro host takes its release's own
                      // records and the Pro ones, which the other hosts must not.
                      Family{"Ubuntu2204",
                             "deb_root.py",
                             "ubuntu",
                             "dpkg",
                             {"Ubuntu:22.04:LTS", "22.04", "22.04.4 LTS (Jammy Jellyfish)", "none"},
                             "Ubuntu:22.04:LTS",
                             ""},
                      Family{"Ubuntu2004",
                             "deb_root.py",
                             "ubuntu",
                             "dpkg",
                             {"Ubuntu:20.04:LTS", "20.04", "20.04.6 LTS (Focal Fossa)", "none"},
                             "Ubuntu:20.04:LTS",
                             ""},
                      Family{"UbuntuPro1804",
                             "deb_root.py",
                             "ubuntu",
                             "dpkg",
                             {"Ubuntu:Pro:18.04:LTS", "18.04", "18.04.6 LTS (Bionic Beaver)",
                              "attached"},
                             "Ubuntu:Pro:18.04:LTS",
                             ""}),
    [](const auto& info) { return std::string(info.param.label); });

// Every real rpmdb of the shared data as the host it came from: its file where that
// distribution keeps it, an os-release of its family. A family with OSV advisories is scanned
// against the real records and compared with librpm's reading; one without is refused with its
// name; a file that is no rpmdb is refused with the reason.
struct RealDatabase {
  const char* folder;  // under rpmdb/
  const char* file;
  const char* path;  // where it lives on its host
  const char* os_release;
  const char* records;    // osv/distros/..., empty: expected to be refused
  const char* ecosystem;  // the host's
  const char* refusal;    // what stderr names when refused
  // NDB: Debian's librpm cannot open it and the shared data hold no SUSE records, so the test
  // writes records for the packages rpm listed for it (expected-packages.tsv) and the reference
  // reads that list.
  bool suse_records = false;
};

// Records for a SUSE host's packages (those whose source rpm has their name, as SUSE's records
// name packages): every third for the host's own product, every third for a module of the same
// service pack (both apply), every third for the next service pack (does not), each fixed one
// release above what is installed and fixing one CVE.
void write_suse_records(const fs::path& tsv, const fs::path& dir, const std::string& ecosystem) {
  fs::create_directories(dir);
  std::ifstream in(tsv);
  const std::string sp = ecosystem.substr(ecosystem.rfind(' ', ecosystem.size() - 5));
  const std::string products[] = {ecosystem, "SUSE:Linux Enterprise Module for Basesystem" + sp,
                                  "SUSE:Linux Enterprise Server 15 SP9"};
  int n = 0;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> f;
    std::istringstream cols(line);
    for (std::string c; std::getline(cols, c, '\t');) f.push_back(c);
    if (f.size() < 6 || f[5] != f[0] + "-" + f[2] + "-" + f[3] + ".src.rpm") continue;
    const std::string fixed = (f[1] == "0" ? "" : f[1] + ":") + f[2] + "-" + f[3] + ".1";
    const std::string id = "SUSE-SU-2099:" + std::to_string(n);
    std::ofstream(dir / (id + ".json"))
        << R"({"id": ")" << id
        << R"(", "modified": "2099-01-01T00:00:00Z", "upstream": ["CVE-2099-)" << 1000 + n
        << R"("], "affected": [{"package": {"ecosystem": ")" << products[n % 3] << R"(", "name": ")"
        << f[0]
        << R"("}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": ")"
        << fixed << R"("}]}]}]})";
    ++n;
  }
}

std::ostream& operator<<(std::ostream& os, const RealDatabase& d) {
  return os << d.folder;
}

class RealDatabaseScan : public ScratchRootTest<RealDatabase> {};

TEST_P(RealDatabaseScan, ScansAsItsHostOrSaysWhyNot) {
  const RealDatabase& d = GetParam();
  const fs::path root = dir_ / "root";
  fs::create_directories(root / "etc");
  fs::create_directories((root / d.path).parent_path());
  fs::copy_file(testing::test_data(std::string("rpmdb/") + d.folder + "/" + d.file), root / d.path);
  fs::permissions(root / d.path, fs::perms::owner_read | fs::perms::owner_write);
  std::ofstream(root / "etc/os-release") << d.os_release;
  const fs::path listed =
      testing::test_data(std::string("rpmdb/") + d.folder) / "expected-packages.tsv";
  if (d.suse_records) write_suse_records(listed, dir_ / "records", d.ecosystem);
  const std::string records = d.suse_records ? (dir_ / "records").string()
                                             : testing::test_data("osv/distros").string() + "/" +
                                                   (*d.records ? d.records : "almalinux");
  auto scan = testing::run({PATCHPARTY_BIN, "scan", "--inventory", "rpm=" + root.string(), "--feed",
                            "osv=" + records, "--format", "json"},
                           dir_, std::nullopt, {}, std::chrono::seconds(300));
  if (!*d.records) {
    EXPECT_EQ(scan.code, 2) << scan.out.substr(0, 500);
    EXPECT_THAT(scan.err, ::testing::HasSubstr(d.refusal));
    std::cout << d.folder << ": refused: " << scan.err.substr(0, scan.err.find('\n')) << "\n";
    return;
  }
  std::vector<std::string> oracle = {"/usr/bin/python3",
                                     std::string(PP_SOURCE_DIR) + "/tests/oracles/rpm_root.py",
                                     "expect",
                                     root.string(),
                                     records,
                                     d.ecosystem};
  if (d.suse_records) oracle.push_back(listed.string());
  auto expected_run = testing::run(oracle, dir_);
  ASSERT_EQ(expected_run.code, 0) << expected_run.err;
  const std::set<std::string> expected = testing::output_lines(expected_run.out);
  ASSERT_TRUE(scan.code == 0 || scan.code == 1) << scan.err;
  EXPECT_EQ(scan.code, expected.empty() ? 0 : 1) << scan.err;
  rapidjson::Document doc;
  doc.Parse(scan.out.c_str());
  ASSERT_FALSE(doc.HasParseError()) << scan.out.substr(0, 2000);
  std::set<std::string> got;
  for (const auto& finding : doc["findings"].GetArray()) got.insert(finding_line(finding));
  EXPECT_EQ(got, expected);
  if (d.suse_records) {
    EXPECT_FALSE(expected.empty());
  }
  std::cout << d.folder << ": " << got.size() << " findings as " << d.ecosystem << "\n";
}

INSTANTIATE_TEST_SUITE_P(
    SharedRpmdbs, RealDatabaseScan,
    ::testing::Values(
        RealDatabase{"libuuid-el8", "Packages", "var/lib/rpm/Packages",
                     "ID=almalinux\nVERSION_ID=8.8\n", "almalinux/almalinux8", "AlmaLinux:8", ""},
        RealDatabase{"rpm4-empty-bdb", "rpm4_empty", "var/lib/rpm/Packages",
                     "ID=almalinux\nVERSION_ID=8.8\n", "almalinux/almalinux8", "AlmaLinux:8", ""},
        RealDatabase{"ubi8-tzdata-bdb", "Packages", "var/lib/rpm/Packages",
                     "ID=rhel\nVERSION_ID=8.6\n", "redhat", "Red Hat:enterprise_linux:8", ""},
        RealDatabase{"fedora32-hello-epoch-bdb", "Packages_epoch", "var/lib/rpm/Packages",
                     "ID=fedora\nVERSION_ID=32\n", "", "", "Fedora"},
        RealDatabase{"centos-dive-bdb", "Packages", "var/lib/rpm/Packages",
                     "ID=centos\nVERSION_ID=8\n", "", "", "CentOS"},
        RealDatabase{"cbl-mariner-2.0", "rpmdb.sqlite", "var/lib/rpm/rpmdb.sqlite",
                     "ID=mariner\nVERSION_ID=2.0\n", "", "", "CBL-Mariner"},
        RealDatabase{"amazonlinux2023-plain", "rpmdb.sqlite", "var/lib/rpm/rpmdb.sqlite",
                     "ID=amzn\nVERSION_ID=2023\n", "", "", "Amazon Linux"},
        RealDatabase{"fedora36-tzdata-sqlite", "rpmdb.sqlite", "var/lib/rpm/rpmdb.sqlite",
                     "ID=fedora\nVERSION_ID=36\n", "", "", "Fedora"},
        RealDatabase{"sle15-bci", "Packages.db", "usr/lib/sysimage/rpm/Packages.db",
                     "ID=\"sles\"\nVERSION_ID=\"15.3\"\nPRETTY_NAME=\"SUSE Linux Enterprise Server "
                     "15 SP3\"\n",
                     "suse", "SUSE:Linux Enterprise Server 15 SP3", "", true},
        RealDatabase{"sle15-bci-2023", "Packages.db", "var/lib/rpm/Packages.db",
                     "ID=\"sles\"\nVERSION_ID=\"15.3\"\nPRETTY_NAME=\"SUSE Linux Enterprise Server "
                     "15 SP3\"\n",
                     "suse", "SUSE:Linux Enterprise Server 15 SP3", "", true},
        RealDatabase{"bad-btree-bdb", "Packages", "var/lib/rpm/Packages",
                     "ID=almalinux\nVERSION_ID=8.8\n", "", "", "Btree"},
        RealDatabase{"bad-schema-sqlite", "rpmdb.sqlite", "var/lib/rpm/rpmdb.sqlite",
                     "ID=almalinux\nVERSION_ID=8.8\n", "", "", "hnum"}),
    [](const auto& info) {
      std::string n = info.param.folder;
      for (char& c : n)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      return n;
    });

}  // namespace
}  // namespace patchparty
