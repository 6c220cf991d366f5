// Debian findings from real tracker data, checked end to end (dpkg status text → inventory →
// feed ingest → run_scan): hand-written cases that each say why, and a differential run of this
// machine's dpkg database against the DSA/DLA lists with libapt-pkg as the version oracle.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "collectors/inventory/dpkg_status.h"
#include "tests/support/test_data.h"
#include "tests/unit/scan/scan_bench.h"
#include "tests/unit/versions/oracle_process.h"

namespace patchparty::scan {
namespace {

using testing::find_finding;
using testing::ScanBench;

// One dpkg status stanza: a binary package of `source` at `source_version` (binNMUs and
// renamed binaries differ from their source, which is what advisories name).
std::string stanza(const std::string& binary, const std::string& version, const std::string& source,
                   const std::string& source_version = {}) {
  std::string s = "Package: " + binary + "\nStatus: install ok installed\nArchitecture: amd64\n";
  if (source != binary || !source_version.empty()) {
    s += "Source: " + source;
    if (!source_version.empty()) s += " (" + source_version + ")";
    s += "\n";
  }
  s += "Version: " + version + "\nDescription: test stanza\n\n";
  return s;
}

std::vector<Package> dpkg_packages(const std::string& text, const std::string& ecosystem) {
  auto r = inventory::parse_dpkg_status(text, ecosystem);
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r.value_or(std::vector<Package>{});
}

struct Expect {
  std::string ecosystem, binary, version, vulnerability;
  bool finding;
  FixStatus fix_status = FixStatus::fixed;
  std::string fixed_version;
  SeverityLevel severity = SeverityLevel::unknown;
  std::string why;
};

void check(const std::vector<Finding>& findings, const std::vector<Expect>& cases) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.ecosystem + " " + c.binary + " " + c.version + " " + c.vulnerability + ": " +
                 c.why);
    const Finding* f = find_finding(findings, c.ecosystem, c.binary, c.version, c.vulnerability);
    if (!c.finding) {
      EXPECT_EQ(f, nullptr) << "unexpected finding";
      continue;
    }
    ASSERT_NE(f, nullptr) << "missed";
    EXPECT_EQ(f->fix_status, c.fix_status) << fix_status_name(f->fix_status);
    EXPECT_EQ(f->fixed_version, c.fixed_version);
    EXPECT_EQ(f->severity, c.severity) << severity_name(f->severity);
  }
}

// --- Debian security tracker JSON (debian/security-tracker-json-sample.json: apparmor) ---------

TEST(DebianRealData, TrackerSampleAgainstApparmorInEachRelease) {
  ScanBench bench("tracker");
  ASSERT_GT(bench.feed("debian-tracker", "debian/security-tracker-json-sample.json"), 0);
  // Real versions from the sample's "repositories": bookworm 3.0.8-3, bullseye 2.13.6-10,
  // trixie 3.0.12-1; the older ones are there to sit below a fix.
  std::vector<Package> packages;
  for (auto& p : dpkg_packages(stanza("libapparmor1", "3.0.8-3", "apparmor") +
                                   stanza("apparmor", "3.0.8-3", "apparmor") +
                                   stanza("libapparmor-dev", "3.0.8-3+b1", "apparmor", "3.0.8-3"),
                               "Debian:12"))
    packages.push_back(std::move(p));
  for (auto& p : dpkg_packages(stanza("libapparmor1", "2.13.6-10", "apparmor"), "Debian:11"))
    packages.push_back(std::move(p));
  for (auto& p : dpkg_packages(stanza("libapparmor1", "3.0.12-1", "apparmor") +
                                   stanza("apparmor-utils", "3.0.11-1", "apparmor"),
                               "Debian:13"))
    packages.push_back(std::move(p));
  for (auto& p : dpkg_packages(stanza("libapparmor1", "2.11.0-2", "apparmor"), "Debian:10"))
    packages.push_back(std::move(p));
  bench.inventory("dpkg", "", packages);
  auto report = bench.scan();
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->problems.empty());

  const std::vector<Expect> cases = {
      {"Debian:12", "libapparmor1", "3.0.8-3", "CVE-2016-1585", true, FixStatus::unfixed, "",
       SeverityLevel::low,
       "bookworm status open with no fixed_version: every version affected; urgency "
       "unimportant ranks low"},
      {"Debian:12", "apparmor", "3.0.8-3", "CVE-2016-1585", true, FixStatus::unfixed, "",
       SeverityLevel::low, "a second binary of the same source carries the same finding"},
      {"Debian:12", "libapparmor-dev", "3.0.8-3+b1", "CVE-2016-1585", true, FixStatus::unfixed, "",
       SeverityLevel::low, "a binNMU is judged by its source version 3.0.8-3"},
      {"Debian:12",
       "libapparmor1",
       "3.0.8-3",
       "CVE-2017-6507",
       false,
       {},
       {},
       {},
       "fixed in 2.11.0-3, below the installed 3.0.8-3"},
      {"Debian:12",
       "libapparmor1",
       "3.0.8-3",
       "CVE-2014-1424",
       false,
       {},
       {},
       {},
       "resolved with fixed_version \"0\": bookworm never had the bug"},
      {"Debian:11", "libapparmor1", "2.13.6-10", "CVE-2016-1585", true, FixStatus::unfixed, "",
       SeverityLevel::low, "bullseye is open too"},
      {"Debian:11",
       "libapparmor1",
       "2.13.6-10",
       "CVE-2017-6507",
       false,
       {},
       {},
       {},
       "fixed in 2.11.0-3 < 2.13.6-10"},
      {"Debian:11",
       "libapparmor1",
       "2.13.6-10",
       "CVE-2014-1424",
       false,
       {},
       {},
       {},
       "fixed_version \"0\" in bullseye"},
      {"Debian:13",
       "libapparmor1",
       "3.0.12-1",
       "CVE-2016-1585",
       false,
       {},
       {},
       {},
       "trixie resolved it in 3.0.12-1, exactly the installed version"},
      {"Debian:13", "apparmor-utils", "3.0.11-1", "CVE-2016-1585", true, FixStatus::fixed,
       "3.0.12-1", SeverityLevel::low, "3.0.11-1 is below trixie's fix 3.0.12-1"},
      {"Debian:10", "libapparmor1", "2.11.0-2", "CVE-2017-6507", true, FixStatus::fixed, "2.11.0-3",
       SeverityLevel::unknown,
       "one revision below the fix; urgency \"not yet assigned\" is no severity"},
      {"Debian:10", "libapparmor1", "2.11.0-2", "CVE-2016-1585", true, FixStatus::unfixed, "",
       SeverityLevel::low, "buster is open"},
  };
  check(report->findings, cases);
  // Nothing beyond the expected findings: 4 in bookworm/bullseye, 1 in trixie, 2 in buster.
  EXPECT_EQ(report->findings.size(), 7u);
  testing::print_counts("debian-tracker sample", report->findings);
}

// --- DSA/DLA lists (debian/DSA-list.txt, DLA-list.txt) with hand-picked real versions
// -------------

// The shared DSA list runs to DSA-5342-1 for xorg-server in bullseye (2:1.20.11-1+deb11u5,
// CVE-2023-0494); DSA-5380-1 (+deb11u6) fell into the held-out part of the split. Earlier
// bullseye fixes in the data: DSA-5304-1 +deb11u4, DSA-5199-1 +deb11u2.
TEST(DebianRealData, DsaListXorgServerAndEpochsInBullseye) {
  ScanBench bench("dsa");
  ASSERT_GT(bench.feed("debian-dsa-list", "debian/DSA-list.txt", {"bullseye"}, "debian-dsa"), 0);
  ASSERT_GE(bench.feed("debian-dsa-list", "debian/DLA-list.txt", {"bullseye"}, "debian-dla"), 0);
  // Every xorg-server binary is a separate case, so each finding names one version.
  const std::string text = stanza("xserver-xorg-core", "2:1.20.11-1+deb11u4", "xorg-server") +
                           stanza("xserver-common", "2:1.20.11-1+deb11u5", "xorg-server") +
                           stanza("xvfb", "2:1.20.11-1+deb11u7", "xorg-server") +
                           stanza("xwayland", "2:21.1.4-1~bpo11+1", "xorg-server") +
                           stanza("xnest", "2:1.20.11-1", "xorg-server") +
                           stanza("xserver-xephyr", "1.20.11-1+deb11u9", "xorg-server") +
                           stanza("xserver-xorg-dev", "2:1.20.11-1+deb11u3", "xorg-server") +
                           stanza("xserver-xorg-legacy", "3:1.0-1", "xorg-server") +
                           stanza("git", "1:2.30.2-1+deb11u1", "git") +
                           stanza("git-man", "1:2.30.2-1+deb11u2", "git") +
                           stanza("gitk", "2.30.2-1+deb11u9", "git");
  bench.inventory("dpkg", "", dpkg_packages(text, "Debian:11"));
  auto report = bench.scan();
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->problems.empty());
  const std::string b = "Debian:11";
  const std::vector<Expect> cases = {
      {b,
       "xserver-xorg-core",
       "2:1.20.11-1+deb11u4",
       "DSA-5342-1",
       true,
       FixStatus::fixed,
       "2:1.20.11-1+deb11u5",
       {},
       "u4 is below DSA-5342-1's u5"},
      {b,
       "xserver-xorg-core",
       "2:1.20.11-1+deb11u4",
       "DSA-5304-1",
       false,
       {},
       {},
       {},
       "u4 is exactly DSA-5304-1's fix"},
      {b,
       "xserver-xorg-core",
       "2:1.20.11-1+deb11u4",
       "DSA-5199-1",
       false,
       {},
       {},
       {},
       "u4 is past DSA-5199-1's u2"},
      {b,
       "xserver-common",
       "2:1.20.11-1+deb11u5",
       "DSA-5342-1",
       false,
       {},
       {},
       {},
       "at the newest fix in the data"},
      {b,
       "xvfb",
       "2:1.20.11-1+deb11u7",
       "DSA-5342-1",
       false,
       {},
       {},
       {},
       "a later security upload is past the fix"},
      {b,
       "xwayland",
       "2:21.1.4-1~bpo11+1",
       "DSA-5342-1",
       false,
       {},
       {},
       {},
       "a bullseye-backports build of a newer upstream is past the fix despite ~bpo"},
      {b,
       "xnest",
       "2:1.20.11-1",
       "DSA-5342-1",
       true,
       FixStatus::fixed,
       "2:1.20.11-1+deb11u5",
       {},
       "the release version predates every security upload"},
      {b,
       "xnest",
       "2:1.20.11-1",
       "DSA-5304-1",
       true,
       FixStatus::fixed,
       "2:1.20.11-1+deb11u4",
       {},
       "also below DSA-5304-1's u4, a separate finding (no CVE in common)"},
      {b,
       "xnest",
       "2:1.20.11-1",
       "DSA-5199-1",
       true,
       FixStatus::fixed,
       "2:1.20.11-1+deb11u2",
       {},
       "below u2"},
      {b,
       "xserver-xephyr",
       "1.20.11-1+deb11u9",
       "DSA-5342-1",
       true,
       FixStatus::fixed,
       "2:1.20.11-1+deb11u5",
       {},
       "no epoch is epoch 0, below epoch 2 whatever the rest says"},
      {b,
       "xserver-xorg-dev",
       "2:1.20.11-1+deb11u3",
       "DSA-5304-1",
       true,
       FixStatus::fixed,
       "2:1.20.11-1+deb11u4",
       {},
       "u3 < u4"},
      {b, "xserver-xorg-dev", "2:1.20.11-1+deb11u3", "DSA-5199-1", false, {}, {}, {}, "u3 > u2"},
      {b,
       "xserver-xorg-legacy",
       "3:1.0-1",
       "DSA-5342-1",
       false,
       {},
       {},
       {},
       "a higher epoch wins over any upstream version"},
      {b,
       "git",
       "1:2.30.2-1+deb11u1",
       "DSA-5357-1",
       true,
       FixStatus::fixed,
       "1:2.30.2-1+deb11u2",
       {},
       "git's bullseye fix carries epoch 1"},
      {b, "git-man", "1:2.30.2-1+deb11u2", "DSA-5357-1", false, {}, {}, {}, "at the fix"},
      {b,
       "gitk",
       "2.30.2-1+deb11u9",
       "DSA-5357-1",
       true,
       FixStatus::fixed,
       "1:2.30.2-1+deb11u2",
       {},
       "missing epoch 0 < 1"},
  };
  // The three xorg-server DSAs share no CVE, so each is its own finding and its fix is the
  // finding's fix. The lists carry no urgency for DSAs: severity stays unknown.
  check(report->findings, cases);
  testing::print_counts("debian-dsa-list xorg-server/git cases", report->findings);
}

// osv.dev's records for four list entries (debian/osv/) say what the list says: the list entry
// and its OSV record are one finding, named by the CVE when the list gives one, reported by
// both feeds, and neither matches at the fixed version.
TEST(DebianRealData, ListEntriesAndTheirOsvRecordsAreOneFinding) {
  ScanBench bench("list-osv");
  ASSERT_GT(bench.feed("debian-dsa-list", "debian/DSA-list.txt", {"wheezy", "stretch"}, "dsa"), 0);
  ASSERT_GT(bench.feed("debian-dsa-list", "debian/DLA-list.txt", {"wheezy", "stretch"}, "dla"), 0);
  ASSERT_GE(bench.feed("osv", "debian/osv", {}, "osv-debian"), 5);
  const std::string text7 = stanza("nginx-full", "1.2.1-2.2+wheezy2", "nginx") +
                            stanza("nginx-common", "1.2.1-2.2+wheezy3", "nginx");
  const std::string text9 = stanza("libxml2", "2.9.4+dfsg1-2.2+deb9u6", "libxml2") +
                            stanza("libxml2-utils", "2.9.4+dfsg1-2.2+deb9u7", "libxml2") +
                            stanza("dpkg", "1.18.25", "dpkg") +
                            stanza("dpkg-dev", "1.18.26", "dpkg") +
                            stanza("tzdata", "2021a-0+deb9u3", "tzdata");
  auto packages = dpkg_packages(text7, "Debian:7");
  for (auto& p : dpkg_packages(text9, "Debian:9")) packages.push_back(std::move(p));
  bench.inventory("dpkg", "", packages);
  auto report = bench.scan();
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->problems.empty());
  struct Row {
    std::string ecosystem, binary, version, advisory, vulnerability, fixed;
  };
  const std::vector<Row> rows = {
      {"Debian:7", "nginx-full", "1.2.1-2.2+wheezy2", "DSA-3029-1", "CVE-2014-3616",
       "1.2.1-2.2+wheezy3"},
      {"Debian:9", "libxml2", "2.9.4+dfsg1-2.2+deb9u6", "DLA-3012-1", "CVE-2022-29824",
       "2.9.4+dfsg1-2.2+deb9u7"},
      {"Debian:9", "dpkg", "1.18.25", "DLA-3022-1", "CVE-2022-1664", "1.18.26"},
      // A timezone update with no CVE: the DLA id itself names the finding.
      {"Debian:9", "tzdata", "2021a-0+deb9u3", "DLA-3051-1", "DLA-3051-1", "2021a-0+deb9u4"},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.binary + " " + r.version + " " + r.advisory);
    const Finding* f = find_finding(report->findings, r.ecosystem, r.binary, r.version, r.advisory);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->vulnerability, r.vulnerability);
    EXPECT_EQ(f->advisories, std::vector<std::string>{r.advisory});
    EXPECT_EQ(f->feeds, (std::vector<std::string>{"debian-dsa-list", "osv"}));
    EXPECT_EQ(f->fixed_version, r.fixed);
  }
  // At the fix, neither the list entry nor its record matches (later entries for the same
  // sources may, and are not this test's business).
  EXPECT_FALSE(find_finding(report->findings, "Debian:7", "nginx-common", "1.2.1-2.2+wheezy3",
                            "DSA-3029-1"));
  EXPECT_FALSE(find_finding(report->findings, "Debian:9", "libxml2-utils", "2.9.4+dfsg1-2.2+deb9u7",
                            "DLA-3012-1"));
  EXPECT_FALSE(find_finding(report->findings, "Debian:9", "dpkg-dev", "1.18.26", "DLA-3022-1"));
  testing::print_counts("debian lists + osv records", report->findings);
}

// --- Differential: this machine's dpkg database as if it were bullseye -------------------------

struct ListLine {
  std::string advisory, package, version;  // version empty: a status that affects every version
};

// An independent reading of data/DSA/list and data/DLA/list, only what the differential needs:
// headers "[date] ID source - title", release lines "[codename] - package version|<status>".
std::vector<ListLine> read_list_lines(const std::filesystem::path& file,
                                      const std::string& codename) {
  std::vector<ListLine> out;
  std::ifstream in(file);
  std::string line, current;
  const std::string tag = "[" + codename + "]";
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (line[0] == '[') {
      const auto close = line.find("] ");
      std::istringstream rest(line.substr(close + 2));
      rest >> current;
      continue;
    }
    std::istringstream words(line);
    std::string release, dash, package, version;
    words >> release >> dash >> package >> version;
    if (release != tag || dash != "-") continue;
    if (version == "<not-affected>") continue;
    out.push_back({current, package, version.starts_with("<") ? "" : version});
  }
  return out;
}

TEST(DebianRealData, ThisHostsDpkgDatabaseAsBullseyeMatchesLibaptExactly) {
  inventory::DpkgStatus dpkg("Debian:11");
  auto installed = dpkg.scan();
  ASSERT_TRUE(installed.has_value()) << installed.error().message;
  ASSERT_FALSE(installed->empty());

  std::vector<ListLine> lines;
  for (const char* list : {"debian/DSA-list.txt", "debian/DLA-list.txt"})
    for (auto& l : read_list_lines(testing::test_data(list), "bullseye")) lines.push_back(l);
  std::multimap<std::string, const ListLine*> by_source;
  for (const auto& l : lines) by_source.emplace(l.package, &l);

  // Every (installed package, list line for its source) pair, compared by libapt-pkg in one
  // oracle process.
  struct Pair {
    const Package* package;
    const ListLine* line;
  };
  std::vector<Pair> pairs;
  std::vector<std::string> requests;
  for (const auto& p : *installed) {
    auto [lo, hi] = by_source.equal_range(p.source_name);
    for (auto it = lo; it != hi; ++it) {
      pairs.push_back({&p, it->second});
      if (!it->second->version.empty())
        requests.push_back(p.source_version + " " + it->second->version);
    }
  }
  const auto answers = testing::run_oracle("dpkg_oracle.py", "", requests);
  ASSERT_EQ(answers.size(), requests.size());

  auto key = [](const Package& p, const std::string& advisory) {
    return p.name + ":" + p.arch + "=" + p.version + " " + advisory;
  };
  std::set<std::string> expected;
  std::size_t answer = 0;
  for (const auto& pair : pairs) {
    bool affected = true;  // <unfixed>, <end-of-life>: every version
    if (!pair.line->version.empty()) affected = answers[answer++] == "-1";
    if (affected) expected.insert(key(*pair.package, pair.line->advisory));
  }

  ScanBench bench("dpkg-diff");
  ASSERT_GT(bench.feed("debian-dsa-list", "debian/DSA-list.txt", {"bullseye"}, "debian-dsa"), 0);
  ASSERT_GE(bench.feed("debian-dsa-list", "debian/DLA-list.txt", {"bullseye"}, "debian-dla"), 0);
  bench.inventory("dpkg", "", *installed);
  auto report = bench.scan();
  ASSERT_TRUE(report);
  testing::expect_no_problems(*report);
  std::set<std::string> actual;
  for (const auto& f : report->findings)
    for (const auto& a : f.advisories) actual.insert(key(f.package, a));

  testing::expect_same_findings(expected, actual);

  std::cout << "[counts] dpkg as bullseye: " << installed->size() << " packages, " << lines.size()
            << " bullseye list lines, " << pairs.size() << " pairs, " << expected.size()
            << " affected pairs, " << report->findings.size() << " findings\n";
  ::testing::Test::RecordProperty("packages", static_cast<int>(installed->size()));
  ::testing::Test::RecordProperty("pairs", static_cast<int>(pairs.size()));
  ::testing::Test::RecordProperty("findings", static_cast<int>(report->findings.size()));
  // Any Debian system shares sources with bullseye's DSAs (glibc, openssl, systemd, ...).
  EXPECT_GT(pairs.size(), 0u);
  EXPECT_GT(lines.size(), 200u);
}

// The host's versions sit above every bullseye fix, so the differential above mostly proves
// "no false finding". Here every bullseye fix of a source is installed in turn and checked
// against every other bullseye advisory of that source: real version strings (epochs, +debNuM,
// ~deb11u, dfsg) on both sides of each fix, all judged by libapt-pkg.
TEST(DebianRealData, EveryBullseyeFixAgainstEveryAdvisoryOfItsSource) {
  std::vector<ListLine> lines;
  for (const char* list : {"debian/DSA-list.txt", "debian/DLA-list.txt"})
    for (auto& l : read_list_lines(testing::test_data(list), "bullseye")) lines.push_back(l);
  std::map<std::string, std::set<std::string>> fixes;  // source -> its fixed versions
  for (const auto& l : lines)
    if (!l.version.empty()) fixes[l.package].insert(l.version);

  std::vector<Package> packages;
  for (const auto& [source, versions] : fixes) {
    int n = 0;
    for (const auto& v : versions) {
      Package p;
      p.ecosystem = "Debian:11";
      p.name = source + "-fix" + std::to_string(n++);  // one binary per installed version
      p.version = p.source_version = v;
      p.source_name = source;
      p.arch = "amd64";
      p.origin = "dpkg";
      packages.push_back(std::move(p));
    }
  }
  std::vector<std::string> requests;
  std::vector<std::pair<const Package*, const ListLine*>> pairs;
  for (const auto& p : packages)
    for (const auto& l : lines)
      if (l.package == p.source_name) {
        pairs.emplace_back(&p, &l);
        if (!l.version.empty()) requests.push_back(p.source_version + " " + l.version);
      }
  const auto answers = testing::run_oracle("dpkg_oracle.py", "", requests);
  ASSERT_EQ(answers.size(), requests.size());
  std::set<std::string> expected;
  std::size_t answer = 0;
  for (const auto& [p, l] : pairs) {
    const bool affected = l->version.empty() || answers[answer++] == "-1";
    if (affected) expected.insert(p->name + " " + l->advisory);
  }

  ScanBench bench("dsa-matrix");
  ASSERT_GT(bench.feed("debian-dsa-list", "debian/DSA-list.txt", {"bullseye"}, "debian-dsa"), 0);
  ASSERT_GE(bench.feed("debian-dsa-list", "debian/DLA-list.txt", {"bullseye"}, "debian-dla"), 0);
  EXPECT_GT(bench.feed("kev", "kev/known_exploited_vulnerabilities.json"), 1000);
  EXPECT_GT(bench.feed("epss", "epss/epss-emba-subset.csv"), 10000);
  bench.inventory("dpkg", "", packages);
  auto report = bench.scan();
  ASSERT_TRUE(report);
  EXPECT_TRUE(report->problems.empty());
  std::set<std::string> actual;
  for (const auto& f : report->findings)
    for (const auto& a : f.advisories) actual.insert(f.package.name + " " + a);

  // Enrichment, read independently: a finding is KEV when any CVE of its alias set is in the
  // catalog, and its EPSS is the highest score over those CVEs.
  std::set<std::string> kev;
  {
    std::ifstream in(testing::test_data("kev/known_exploited_vulnerabilities.json"));
    static const std::regex cve_id(R"re("cveID":\s*"(CVE-\d+-\d+)")re");
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    for (std::sregex_iterator it(text.begin(), text.end(), cve_id), end; it != end; ++it)
      kev.insert((*it)[1]);
  }
  ASSERT_EQ(kev.size(), 1404u);
  std::map<std::string, double> epss;
  {
    std::ifstream in(testing::test_data("epss/epss-emba-subset.csv"));
    for (std::string line; std::getline(in, line);) {
      const auto a = line.find(';'), b = line.find(';', a + 1);
      epss[line.substr(0, a)] = std::stod(line.substr(a + 1, b - a - 1));
    }
  }
  int kev_findings = 0, epss_findings = 0;
  for (const auto& f : report->findings) {
    bool want_kev = false;
    std::optional<double> want_epss;
    for (const auto& id : testing::ids_of(f)) {
      want_kev = want_kev || kev.count(id);
      if (auto it = epss.find(id); it != epss.end() && (!want_epss || it->second > *want_epss))
        want_epss = it->second;
    }
    EXPECT_EQ(f.kev, want_kev) << f.package.name << " " << f.vulnerability;
    ASSERT_EQ(f.epss.has_value(), want_epss.has_value())
        << f.package.name << " " << f.vulnerability;
    if (want_epss) {
      EXPECT_NEAR(*f.epss, *want_epss, 1e-9) << f.vulnerability;
    }
    kev_findings += f.kev;
    epss_findings += f.epss.has_value();
  }
  // bullseye's DSAs include KEV entries (e.g. CVE-2021-4034, polkit).
  EXPECT_GT(kev_findings, 0);
  testing::expect_same_findings(expected, actual);
  std::cout << "[counts] bullseye fix matrix: " << packages.size() << " installed versions, "
            << pairs.size() << " pairs, " << expected.size() << " affected, "
            << report->findings.size() << " findings (" << kev_findings << " KEV, " << epss_findings
            << " with EPSS)\n";
  EXPECT_GT(expected.size(), 0u);
  EXPECT_LT(expected.size(), pairs.size());
}

}  // namespace
}  // namespace patchparty::scan
