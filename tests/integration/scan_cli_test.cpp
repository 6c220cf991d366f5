// `patchparty scan` as a pipeline runs it: the real binary on a real composer.lock and the
// FriendsOfPHP advisories, KEV and EPSS served over loopback HTTP, every output format checked
// field by field, and every way the inputs can be wrong ending in exit 2 with a message.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <rapidjson/document.h>
#include <sys/socket.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "tests/support/http_test_server.h"
#include "tests/support/json_string.h"
#include "tests/support/nvd_pages.h"
#include "tests/support/scratch_files.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = std::filesystem;
using testing::json_string;
using testing::write_file;

// symfony/http-kernel v5.3.1 in the v1.7.1 lockfile is inside '>=5.3.0', '<5.3.12'.
constexpr const char* kPackage = "symfony/http-kernel";
constexpr const char* kCve = "CVE-2021-41267";

rapidjson::Document parse_json(const std::string& text) {
  rapidjson::Document doc;
  doc.Parse(text.c_str());
  EXPECT_FALSE(doc.HasParseError()) << "offset " << doc.GetErrorOffset() << ":\n"
                                    << text.substr(0, 2000);
  return doc;
}

const rapidjson::Value* find_finding(const rapidjson::Document& doc, std::string_view package,
                                     std::string_view vulnerability) {
  for (const auto& f : doc["findings"].GetArray())
    if (json_string(f["package"]["name"]) == package &&
        json_string(f["vulnerability"]) == vulnerability)
      return &f;
  return nullptr;
}

// name -> version as the lockfile states it: the oracle for "installed".
std::map<std::string, std::string> lockfile_versions(const fs::path& lock) {
  rapidjson::Document doc;
  doc.Parse(testing::Subprocess::slurp(lock).c_str());
  std::map<std::string, std::string> out;
  if (doc.HasParseError()) return out;
  for (const char* section : {"packages", "packages-dev"})
    if (doc.HasMember(section))
      for (const auto& p : doc[section].GetArray())
        out[json_string(p["name"])] = json_string(p["version"]);
  return out;
}

// A port nothing listens on: bound, read back, closed.
int closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

class ScanCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::temp_dir("scan");
    // Normalized as the scan normalizes its arguments, so reported locations compare equal.
    lock_ = testing::test_data("lockfiles/symfony-demo-v1.7.1-composer.lock").lexically_normal();
    advisories_ = testing::test_data("friendsofphp").lexically_normal();
  }
  void TearDown() override { fs::remove_all(dir_); }

  testing::RunResult scan(std::vector<std::string> args) {
    std::vector<std::string> argv = {PATCHPARTY_BIN, "scan"};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::run(argv, dir_);
  }
  // The v1.7.1 lockfile against FriendsOfPHP, plus whatever the test adds.
  testing::RunResult scan_demo(std::vector<std::string> extra) {
    std::vector<std::string> args = {"--inventory", "composer=" + lock_.string(), "--feed",
                                     "friendsofphp=" + advisories_.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return scan(args);
  }
  fs::path config_with_suppressions(std::string_view rules) {
    write_file(dir_ / "suppressions.yml", std::string("suppressions:\n") + std::string(rules));
    write_file(dir_ / "pp.yml",
               "suppressions:\n  - " + (dir_ / "suppressions.yml").string() + "\n");
    return dir_ / "pp.yml";
  }

  fs::path dir_, lock_, advisories_;
};

TEST_F(ScanCli, TableListsFindingsAndExitsOne) {
  auto r = scan_demo({});
  ASSERT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("RISK"));
  EXPECT_THAT(r.out, HasSubstr("VULNERABILITY"));
  EXPECT_THAT(r.out, HasSubstr(kPackage));
  EXPECT_THAT(r.out, HasSubstr(kCve));
  EXPECT_THAT(r.out, HasSubstr("v5.3.1"));
  EXPECT_THAT(r.out, HasSubstr("twig/twig"));
  // The lockfile has 97 packages and 11 dev packages.
  EXPECT_THAT(r.out, HasSubstr(" suppressed) in 108 packages"));
  EXPECT_THAT(r.out, HasSubstr(" active, 0 suppressed)"));

  // The summary's count agrees with the JSON of the same scan.
  auto j = scan_demo({"--format", "json"});
  ASSERT_EQ(j.code, 1) << j.err;
  auto doc = parse_json(j.out);
  ASSERT_TRUE(doc.IsObject());
  const auto n = doc["findings"].Size();
  EXPECT_THAT(r.out,
              HasSubstr(std::to_string(n) + " findings (" + std::to_string(n) + " active, "));
}

TEST_F(ScanCli, JsonCarriesEveryFieldOfEveryFinding) {
  auto r = scan_demo({"--format", "json"});
  ASSERT_EQ(r.code, 1) << r.err;
  auto doc = parse_json(r.out);
  ASSERT_TRUE(doc.IsObject());
  EXPECT_EQ(json_string(doc["schema"]), "patchparty.findings/v1");
  EXPECT_FALSE(json_string(doc["host"]).empty());
  EXPECT_THAT(json_string(doc["scanned_at"]), ::testing::MatchesRegex("20[0-9-]+T[0-9:]+Z"));
  EXPECT_EQ(json_string(doc["tool"]["name"]), "patchparty");
  ASSERT_TRUE(doc["findings"].IsArray());
  ASSERT_GT(doc["findings"].Size(), 5u);
  EXPECT_EQ(doc["count"].GetInt64(), static_cast<std::int64_t>(doc["findings"].Size()));

  const auto installed = lockfile_versions(lock_);
  const std::set<std::string> severities = {"unknown", "low", "medium", "high", "critical"};
  std::set<std::string> keys;
  for (const auto& f : doc["findings"].GetArray()) {
    ASSERT_TRUE(f.IsObject());
    const std::string name = json_string(f["package"]["name"]);
    const std::string vuln = json_string(f["vulnerability"]);
    SCOPED_TRACE(name + " " + vuln);
    EXPECT_TRUE(keys.insert(name + " " + vuln).second) << "reported twice";
    EXPECT_EQ(json_string(f["host"]), json_string(doc["host"]));
    EXPECT_EQ(json_string(f["project"]), "lockfiles");  // the lockfile's directory name

    const auto& p = f["package"];
    EXPECT_EQ(json_string(p["ecosystem"]), "Packagist");
    ASSERT_TRUE(installed.count(name)) << "not in the lockfile";
    EXPECT_EQ(json_string(p["installed"]), installed.at(name));
    EXPECT_EQ(json_string(p["origin"]), "composer");
    EXPECT_EQ(json_string(p["location"]), lock_.string());
    EXPECT_TRUE(p["dev"].IsBool());

    EXPECT_FALSE(vuln.empty());
    ASSERT_TRUE(f["aliases"].IsArray());
    for (const auto& a : f["aliases"].GetArray()) {
      EXPECT_TRUE(a.IsString());
      EXPECT_NE(json_string(a), vuln) << "the primary id is not its own alias";
    }
    ASSERT_TRUE(f["advisories"].IsArray());
    EXPECT_GT(f["advisories"].Size(), 0u);
    ASSERT_TRUE(f["feeds"].IsArray());
    ASSERT_GT(f["feeds"].Size(), 0u);
    EXPECT_EQ(json_string(f["feeds"][0]), "friendsofphp");

    ASSERT_TRUE(f["fixed_version"].IsString() || f["fixed_version"].IsNull());
    ASSERT_TRUE(f["fix_status"].IsString());
    if (f["fixed_version"].IsString()) {
      EXPECT_EQ(json_string(f["fix_status"]), "fixed");
    }
    EXPECT_TRUE(severities.count(json_string(f["severity"]))) << json_string(f["severity"]);
    if (!f["cvss"].IsNull()) {
      ASSERT_TRUE(f["cvss"]["score"].IsNumber());
      EXPECT_GE(f["cvss"]["score"].GetDouble(), 0.0);
      EXPECT_LE(f["cvss"]["score"].GetDouble(), 10.0);
    }
    // No EPSS or KEV feed was given.
    EXPECT_TRUE(f["epss"].IsNull());
    ASSERT_TRUE(f["kev"].IsObject());
    EXPECT_FALSE(f["kev"]["listed"].GetBool());
    EXPECT_FALSE(f["kev"]["ransomware"].GetBool());
    EXPECT_TRUE(f["kev"]["due_date"].IsNull());
    ASSERT_TRUE(f["risk"].IsNumber());
    EXPECT_GT(f["risk"].GetDouble(), 0.0);
    EXPECT_LE(f["risk"].GetDouble(), 100.0);
    EXPECT_FALSE(f["suppressed"].GetBool());
    EXPECT_TRUE(f["suppression"].IsNull());
    EXPECT_EQ(json_string(f["first_seen"]), json_string(doc["scanned_at"]));
    EXPECT_EQ(json_string(f["last_seen"]), json_string(doc["scanned_at"]));
    EXPECT_TRUE(f["resolved_at"].IsNull());
  }

  const auto* hk = find_finding(doc, kPackage, kCve);
  ASSERT_NE(hk, nullptr) << r.out.substr(0, 3000);
  EXPECT_EQ(json_string((*hk)["package"]["installed"]), "v5.3.1");
  EXPECT_EQ(json_string((*hk)["fixed_version"]), "5.3.12");
  EXPECT_EQ(json_string((*hk)["fix_status"]), "fixed");
}

TEST_F(ScanCli, SarifRulesAndResultsAgree) {
  auto j = scan_demo({"--format", "json"});
  ASSERT_EQ(j.code, 1) << j.err;
  auto findings = parse_json(j.out);
  ASSERT_TRUE(findings.IsObject());
  std::set<std::string> vulnerabilities;
  for (const auto& f : findings["findings"].GetArray())
    vulnerabilities.insert(json_string(f["vulnerability"]));

  auto r = scan_demo({"--format", "sarif"});
  ASSERT_EQ(r.code, 1) << r.err;
  auto doc = parse_json(r.out);
  ASSERT_TRUE(doc.IsObject());
  EXPECT_EQ(json_string(doc["version"]), "2.1.0");
  EXPECT_THAT(json_string(doc["$schema"]), HasSubstr("sarif-2.1.0"));
  ASSERT_EQ(doc["runs"].Size(), 1u);
  const auto& run = doc["runs"][0];
  EXPECT_EQ(json_string(run["tool"]["driver"]["name"]), "patchparty");
  const auto& rules = run["tool"]["driver"]["rules"];
  const auto& results = run["results"];
  ASSERT_TRUE(rules.IsArray());
  ASSERT_TRUE(results.IsArray());

  std::set<std::string> rule_ids;
  for (const auto& rule : rules.GetArray()) {
    EXPECT_TRUE(rule_ids.insert(json_string(rule["id"])).second)
        << "duplicate rule " << json_string(rule["id"]);
    EXPECT_FALSE(json_string(rule["shortDescription"]["text"]).empty());
    EXPECT_THAT(json_string(rule["defaultConfiguration"]["level"]),
                ::testing::AnyOf("error", "warning", "note", "none"));
  }
  EXPECT_EQ(rule_ids, vulnerabilities);
  EXPECT_EQ(results.Size(), findings["findings"].Size());

  std::set<std::string> referenced;
  for (const auto& res : results.GetArray()) {
    const std::string id = json_string(res["ruleId"]);
    ASSERT_TRUE(res["ruleIndex"].IsUint());
    const unsigned index = res["ruleIndex"].GetUint();
    ASSERT_LT(index, rules.Size());
    EXPECT_EQ(json_string(rules[index]["id"]), id);
    referenced.insert(id);
    EXPECT_FALSE(json_string(res["message"]["text"]).empty());
    ASSERT_GT(res["locations"].Size(), 0u);
    EXPECT_FALSE(
        json_string(res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]).empty());
    EXPECT_FALSE(json_string(res["partialFingerprints"]["patchpartyFinding/v1"]).empty());
    EXPECT_FALSE(res.HasMember("suppressions"));
  }
  EXPECT_EQ(referenced, rule_ids) << "a rule without a result";
}

// KEV and EPSS as a pipeline would fetch them: over HTTP, next to the advisory feed.
TEST_F(ScanCli, KevAndEpssOverHttpRaiseTheRisk) {
  auto base = scan_demo({"--format", "json"});
  ASSERT_EQ(base.code, 1) << base.err;
  auto base_doc = parse_json(base.out);
  const auto* before = find_finding(base_doc, kPackage, kCve);
  ASSERT_NE(before, nullptr);
  const double base_risk = (*before)["risk"].GetDouble();

  testing::HttpTestServer server;
  const std::string kev =
      std::string(R"({"title": "CISA Catalog of Known Exploited Vulnerabilities",
  "catalogVersion": "2026.11.01", "dateReleased": "2026-11-01T00:00:00.000Z", "count": 1,
  "vulnerabilities": [{"cveID": ")") +
      kCve + R"(", "vendorProject": "Symfony",
    "product": "HttpKernel", "vulnerabilityName": "Symfony HttpKernel cache poisoning",
    "dateAdded": "2021-11-10", "shortDescription": "Cache poisoning via X-Forwarded-Prefix.",
    "requiredAction": "Apply updates per vendor instructions.", "dueDate": "2021-12-01",
    "knownRansomwareCampaignUse": "Known", "notes": "", "cwes": ["CWE-444"]}]})";
  const std::string epss = std::string(
                               "#model_version:v2026.06.15,score_date:2026-11-01T00:00:00Z\n"
                               "cve,epss,percentile\n"
                               "CVE-1999-0001,0.03351,0.88255\n") +
                           kCve + ",0.50000,0.97000\n";
  server.set("/kev.json", testing::Route{.body = kev, .content_type = "application/json"});
  server.set("/epss.csv", testing::Route{.body = epss, .content_type = "text/csv"});

  // EPSS alone: the threat is the EPSS probability instead of the 0.01 default.
  auto e = scan_demo({"--format", "json", "--feed", "epss=" + server.url("/epss.csv")});
  ASSERT_EQ(e.code, 1) << e.err;
  EXPECT_EQ(server.hits("/epss.csv"), 1);
  auto e_doc = parse_json(e.out);
  const auto* with_epss = find_finding(e_doc, kPackage, kCve);
  ASSERT_NE(with_epss, nullptr);
  ASSERT_TRUE((*with_epss)["epss"].IsObject());
  EXPECT_DOUBLE_EQ((*with_epss)["epss"]["probability"].GetDouble(), 0.5);
  EXPECT_DOUBLE_EQ((*with_epss)["epss"]["percentile"].GetDouble(), 0.97);
  EXPECT_FALSE((*with_epss)["kev"]["listed"].GetBool());
  const double epss_risk = (*with_epss)["risk"].GetDouble();
  EXPECT_NEAR(epss_risk / base_risk, 50.0, 50.0 * 0.03);

  // KEV too: listed, with CISA's due date; ransomware use adds Grype's 1.1 modifier on a threat
  // of 1.
  auto k = scan_demo({"--format", "json", "--feed", "kev=" + server.url("/kev.json"), "--feed",
                      "epss=" + server.url("/epss.csv")});
  ASSERT_EQ(k.code, 1) << k.err;
  EXPECT_EQ(server.hits("/kev.json"), 1);
  auto k_doc = parse_json(k.out);
  const auto* with_kev = find_finding(k_doc, kPackage, kCve);
  ASSERT_NE(with_kev, nullptr);
  EXPECT_TRUE((*with_kev)["kev"]["listed"].GetBool());
  EXPECT_TRUE((*with_kev)["kev"]["ransomware"].GetBool());
  EXPECT_EQ(json_string((*with_kev)["kev"]["due_date"]), "2021-12-01");
  EXPECT_DOUBLE_EQ((*with_kev)["epss"]["probability"].GetDouble(), 0.5);
  const double kev_risk = (*with_kev)["risk"].GetDouble();
  EXPECT_NEAR(kev_risk / epss_risk, 2.2, 2.2 * 0.03);
  EXPECT_GT(kev_risk, epss_risk);

  // Only that CVE is listed.
  for (const auto& f : k_doc["findings"].GetArray())
    if (json_string(f["vulnerability"]) != kCve) {
      EXPECT_FALSE(f["kev"]["listed"].GetBool());
    }

  // The table shows it first, flagged.
  auto t = scan_demo({"--feed", "kev=" + server.url("/kev.json")});
  ASSERT_EQ(t.code, 1) << t.err;
  std::istringstream lines(t.out);
  std::string header, first;
  std::getline(lines, header);
  std::getline(lines, first);
  if (first.find_first_not_of("-= ") == std::string::npos) std::getline(lines, first);
  EXPECT_THAT(first, HasSubstr(kCve));
  EXPECT_THAT(first, HasSubstr("yes"));
}

// The current demo (Symfony 7) is past every advisory in the data set.
TEST_F(ScanCli, ACleanLockfileExitsZero) {
  const std::string clean =
      "composer=" +
      testing::test_data("lockfiles/symfony-demo-main-920d86dc-composer.lock").string();
  const std::string feed = "friendsofphp=" + advisories_.string();
  auto r = scan({"--inventory", clean, "--feed", feed});
  EXPECT_EQ(r.code, 0) << r.err << r.out;
  // 99 packages and 54 dev packages.
  EXPECT_THAT(r.out, HasSubstr("0 findings (0 active, 0 suppressed) in 153 packages"));

  auto j = scan({"--inventory", clean, "--feed", feed, "--format", "json"});
  EXPECT_EQ(j.code, 0) << j.err;
  auto doc = parse_json(j.out);
  ASSERT_TRUE(doc.IsObject());
  EXPECT_EQ(json_string(doc["schema"]), "patchparty.findings/v1");
  EXPECT_EQ(doc["count"].GetInt(), 0);
  EXPECT_EQ(doc["findings"].Size(), 0u);

  auto s = scan({"--inventory", clean, "--feed", feed, "--format", "sarif"});
  EXPECT_EQ(s.code, 0) << s.err;
  auto sarif = parse_json(s.out);
  ASSERT_TRUE(sarif.IsObject());
  EXPECT_EQ(sarif["runs"][0]["results"].Size(), 0u);
  EXPECT_EQ(sarif["runs"][0]["tool"]["driver"]["rules"].Size(), 0u);
}

TEST_F(ScanCli, OutputWritesTheFileInsteadOfStdout) {
  auto r = scan_demo({"--format", "json", "--output", (dir_ / "findings.json").string()});
  ASSERT_EQ(r.code, 1) << r.err;
  EXPECT_EQ(r.out, "");
  ASSERT_TRUE(fs::exists(dir_ / "findings.json"));
  auto doc = parse_json(testing::Subprocess::slurp(dir_ / "findings.json"));
  ASSERT_TRUE(doc.IsObject());
  EXPECT_EQ(json_string(doc["schema"]), "patchparty.findings/v1");
  EXPECT_NE(find_finding(doc, kPackage, kCve), nullptr);

  auto t = scan_demo({"-o", (dir_ / "findings.txt").string()});
  ASSERT_EQ(t.code, 1) << t.err;
  EXPECT_EQ(t.out, "");
  EXPECT_THAT(testing::Subprocess::slurp(dir_ / "findings.txt"), HasSubstr(kCve));

  auto s = scan_demo({"--format", "sarif", "--output", (dir_ / "findings.sarif").string()});
  ASSERT_EQ(s.code, 1) << s.err;
  auto sarif = parse_json(testing::Subprocess::slurp(dir_ / "findings.sarif"));
  ASSERT_TRUE(sarif.IsObject());
  EXPECT_EQ(json_string(sarif["version"]), "2.1.0");

  auto bad = scan_demo({"--format", "json", "--output", (dir_ / "missing" / "f.json").string()});
  EXPECT_EQ(bad.code, 2);
  EXPECT_THAT(bad.err, HasSubstr("cannot write"));
}

TEST_F(ScanCli, BadArgumentsExitTwoWithAMessage) {
  auto kind = scan({"--inventory", "gem=" + lock_.string()});
  EXPECT_EQ(kind.code, 2);
  EXPECT_THAT(kind.err, HasSubstr("'gem': unknown kind"));
  EXPECT_EQ(kind.out, "");

  auto feed_kind = scan({"--inventory", "composer=" + lock_.string(), "--feed", "rss=/tmp"});
  EXPECT_EQ(feed_kind.code, 2);
  EXPECT_THAT(feed_kind.err, HasSubstr("--feed 'rss': unknown kind"));

  auto no_eq = scan({"--inventory", lock_.string()});
  EXPECT_EQ(no_eq.code, 2);
  EXPECT_THAT(no_eq.err, HasSubstr("expected KIND=PATH"));

  auto missing = scan({"--inventory", "composer=" + (dir_ / "nope" / "composer.lock").string(),
                       "--feed", "friendsofphp=" + advisories_.string()});
  EXPECT_EQ(missing.code, 2);
  EXPECT_THAT(missing.err, HasSubstr((dir_ / "nope" / "composer.lock").string()));
  EXPECT_THAT(missing.err, HasSubstr("does not exist"));

  auto missing_feed = scan({"--inventory", "composer=" + lock_.string(), "--feed",
                            "friendsofphp=" + (dir_ / "no-advisories").string()});
  EXPECT_EQ(missing_feed.code, 2);
  EXPECT_THAT(missing_feed.err, HasSubstr("does not exist"));

  auto format = scan_demo({"--format", "xml"});
  EXPECT_EQ(format.code, 2);
  EXPECT_THAT(format.err, HasSubstr("--format: 'xml' is not one of table, json, sarif"));
  EXPECT_EQ(format.out, "");
}

TEST_F(ScanCli, CorruptLockfileExitsTwo) {
  fs::create_directories(dir_ / "broken");
  const std::string whole = testing::Subprocess::slurp(lock_);
  write_file(dir_ / "broken" / "composer.lock", whole.substr(0, whole.size() / 2));
  auto r = scan({"--inventory", "composer=" + (dir_ / "broken" / "composer.lock").string(),
                 "--feed", "friendsofphp=" + advisories_.string()});
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_THAT(r.err,
              HasSubstr("--inventory composer=" + (dir_ / "broken" / "composer.lock").string()));
  EXPECT_EQ(r.out, "");
}

TEST_F(ScanCli, MalformedFeedsExitTwo) {
  // A FriendsOfPHP record cut inside its quoted title: not YAML any more.
  const fs::path feed = dir_ / "fop" / "symfony" / "http-kernel";
  fs::create_directories(feed);
  const std::string record =
      testing::Subprocess::slurp(advisories_ / "symfony" / "http-kernel" / "CVE-2021-41267.yaml");
  write_file(feed / "CVE-2021-41267.yaml", record.substr(0, record.find(':', 20)));
  auto yaml = scan({"--inventory", "composer=" + lock_.string(), "--feed",
                    "friendsofphp=" + (dir_ / "fop").string()});
  EXPECT_EQ(yaml.code, 2) << yaml.out;
  EXPECT_THAT(yaml.err, HasSubstr("feed friendsofphp-1"));
  EXPECT_THAT(yaml.err, HasSubstr("CVE-2021-41267.yaml"));
  EXPECT_THAT(yaml.err, Not(HasSubstr("feed friendsofphp-1: feed friendsofphp-1:")));

  // A KEV catalogue cut in the middle.
  write_file(dir_ / "kev.json",
             R"({"title": "CISA", "count": 1, "vulnerabilities": [{"cveID": "CVE-2021-41)");
  auto json = scan_demo({"--feed", "kev=" + (dir_ / "kev.json").string()});
  EXPECT_EQ(json.code, 2) << json.out;
  EXPECT_THAT(json.err, HasSubstr("patchparty scan: feed kev-2: "));
  EXPECT_THAT(json.err, HasSubstr("kev: invalid JSON"));
  EXPECT_EQ(json.out, "");

  // An EPSS file without its header.
  write_file(dir_ / "epss.csv", "CVE-2021-41267,0.5,0.97\n");
  auto csv = scan_demo({"--feed", "epss=" + (dir_ / "epss.csv").string()});
  EXPECT_EQ(csv.code, 2) << csv.out;
  EXPECT_THAT(csv.err, HasSubstr("patchparty scan: feed epss-2: "));
  EXPECT_THAT(csv.err, HasSubstr("epss: line 1: expected the header"));
}

TEST_F(ScanCli, UnreachableFeedUrlExitsTwo) {
  const std::string url = "http://127.0.0.1:" + std::to_string(closed_port()) + "/kev.json";
  auto r = scan_demo({"--feed", "kev=" + url});
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_THAT(r.err, HasSubstr("feed kev-2"));
  EXPECT_THAT(r.err, HasSubstr("127.0.0.1"));
  EXPECT_EQ(r.out, "");
}

TEST_F(ScanCli, ASuppressedFindingIsShownAndTheRestDecideTheExitCode) {
  auto config =
      config_with_suppressions(std::string("  - id: ") + kCve + "\n    package: " + kPackage +
                               "\n    reason: \"no sub-requests behind our proxy\"\n");
  auto r = scan_demo({"-c", config.string(), "--format", "json"});
  ASSERT_EQ(r.code, 1) << r.err;  // the other findings are still active
  auto doc = parse_json(r.out);
  ASSERT_TRUE(doc.IsObject());
  std::size_t suppressed = 0;
  for (const auto& f : doc["findings"].GetArray()) {
    if (!f["suppressed"].GetBool()) continue;
    ++suppressed;
    EXPECT_EQ(json_string(f["package"]["name"]), kPackage);
    EXPECT_EQ(json_string(f["vulnerability"]), kCve);
    ASSERT_TRUE(f["suppression"].IsObject());
    EXPECT_EQ(json_string(f["suppression"]["reason"]), "no sub-requests behind our proxy");
    EXPECT_THAT(json_string(f["suppression"]["rule"]), HasSubstr("suppressions.yml:"));
    EXPECT_FALSE(f["suppression"]["expired"].GetBool());
    EXPECT_TRUE(f["suppression"]["expires"].IsNull());
  }
  EXPECT_EQ(suppressed, 1u);

  auto t = scan_demo({"-c", config.string()});
  ASSERT_EQ(t.code, 1) << t.err;
  EXPECT_THAT(t.out, HasSubstr("suppressed: no sub-requests behind our proxy"));
  EXPECT_THAT(t.out, HasSubstr(" active, 1 suppressed)"));

  // SARIF keeps it, dismissed.
  auto s = scan_demo({"-c", config.string(), "--format", "sarif"});
  ASSERT_EQ(s.code, 1) << s.err;
  auto sarif = parse_json(s.out);
  ASSERT_TRUE(sarif.IsObject());
  std::size_t dismissed = 0;
  for (const auto& res : sarif["runs"][0]["results"].GetArray()) {
    if (!res.HasMember("suppressions")) continue;
    ++dismissed;
    EXPECT_EQ(json_string(res["ruleId"]), kCve);
    EXPECT_EQ(json_string(res["suppressions"][0]["kind"]), "external");
  }
  EXPECT_EQ(dismissed, 1u);
}

TEST_F(ScanCli, EverythingSuppressedExitsZero) {
  auto base = scan_demo({"--format", "json"});
  ASSERT_EQ(base.code, 1) << base.err;
  auto base_doc = parse_json(base.out);
  ASSERT_TRUE(base_doc.IsObject());
  std::set<std::string> ids;
  for (const auto& f : base_doc["findings"].GetArray()) ids.insert(json_string(f["vulnerability"]));
  std::string rules;
  for (const auto& id : ids) rules += "  - id: " + id + "\n    reason: \"accepted for the test\"\n";
  auto config = config_with_suppressions(rules);

  auto r = scan_demo({"-c", config.string(), "--format", "json"});
  EXPECT_EQ(r.code, 0) << r.err;
  auto doc = parse_json(r.out);
  ASSERT_TRUE(doc.IsObject());
  EXPECT_EQ(doc["findings"].Size(), base_doc["findings"].Size());
  for (const auto& f : doc["findings"].GetArray()) EXPECT_TRUE(f["suppressed"].GetBool());

  auto t = scan_demo({"-c", config.string()});
  EXPECT_EQ(t.code, 0) << t.err;
  EXPECT_THAT(t.out,
              HasSubstr("(0 active, " + std::to_string(doc["findings"].Size()) + " suppressed)"));
}

TEST_F(ScanCli, AnExpiredSuppressionMakesTheFindingActiveAgain) {
  auto config =
      config_with_suppressions(std::string("  - id: ") + kCve + "\n    package: " + kPackage +
                               "\n    reason: \"waiting for the 5.4 upgrade\"\n"
                               "    expires: 2021-12-31\n");
  auto r = scan_demo({"-c", config.string(), "--format", "json"});
  ASSERT_EQ(r.code, 1) << r.err;
  auto doc = parse_json(r.out);
  ASSERT_TRUE(doc.IsObject());
  const auto* f = find_finding(doc, kPackage, kCve);
  ASSERT_NE(f, nullptr);
  EXPECT_FALSE((*f)["suppressed"].GetBool());
  ASSERT_TRUE((*f)["suppression"].IsObject());
  EXPECT_TRUE((*f)["suppression"]["expired"].GetBool());
  // A date covers its whole UTC day: cover ends as the next one starts.
  EXPECT_EQ(json_string((*f)["suppression"]["expires"]), "2022-01-01T00:00:00Z");

  auto t = scan_demo({"-c", config.string()});
  ASSERT_EQ(t.code, 1) << t.err;
  EXPECT_THAT(t.out, HasSubstr(" active, 0 suppressed)"));
  std::istringstream lines(t.out);
  std::string line;
  bool noted = false;
  while (std::getline(lines, line))
    if (line.find(kCve) != std::string::npos && line.find(kPackage) != std::string::npos)
      noted = line.find("suppression expired") != std::string::npos;
  EXPECT_TRUE(noted) << t.out;
}

TEST_F(ScanCli, AnExpiredSuppressionOnAFindingWithoutAFixKeepsBothNotes) {
  // One synthetic advisory with no upper bound: nothing to upgrade to.
  const fs::path feed = dir_ / "fop" / "symfony" / "http-kernel";
  fs::create_directories(feed);
  write_file(feed / "CVE-2099-0001.yaml",
             "title: \"CVE-2099-0001: an issue with no fixed release yet\"\n"
             "link: https://example.invalid/cve-2099-0001\n"
             "cve: CVE-2099-0001\n"
             "branches:\n"
             "    5.x:\n"
             "        time: ~\n"
             "        versions: ['>=5.0.0']\n"
             "reference: composer://symfony/http-kernel\n");
  auto config = config_with_suppressions(
      "  - id: CVE-2099-0001\n    reason: \"mitigated at the proxy\"\n    expires: 2021-12-31\n");
  auto r = scan({"-c", config.string(), "--inventory", "composer=" + lock_.string(), "--feed",
                 "friendsofphp=" + (dir_ / "fop").string()});
  ASSERT_EQ(r.code, 1) << r.err;
  EXPECT_THAT(r.out, HasSubstr("1 findings (1 active, 0 suppressed)"));
  EXPECT_THAT(r.out, HasSubstr("suppression expired; unfixed"));
}

TEST_F(ScanCli, AnInvalidSuppressionFileExitsTwo) {
  auto config =
      config_with_suppressions("  - id: CVE-2021-41267\n    package: symfony/http-kernel\n");
  auto r = scan_demo({"-c", config.string()});
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_THAT(r.err, HasSubstr("suppressions.yml"));
  EXPECT_THAT(r.err, HasSubstr("reason"));
  EXPECT_EQ(r.out, "");
}

// NVD's scores reach the findings whose records carry none: a Debian tracker record whose
// urgency is "not yet assigned" gets NVD's score and the severity it rates, from NVD's JSON files
// and from the API alike, while a record with a score of its own keeps it.
TEST_F(ScanCli, NvdScoresFindingsWhoseRecordsCarryNone) {
  write_file(dir_ / "image/var/lib/dpkg/status",
             "Package: libssl3\nStatus: install ok installed\nVersion: 3.0.11-1~deb12u2\n"
             "Architecture: amd64\nSource: openssl\n\n"
             "Package: libxml2\nStatus: install ok installed\nVersion: 2.9.14+dfsg-1.3\n"
             "Architecture: amd64\n\n");
  write_file(dir_ / "tracker.json", R"({"openssl": {"CVE-2024-1001": {"description": "d",
      "releases": {"bookworm": {"status": "open", "repositories": {"bookworm": "3.0.11-1~deb12u2"},
      "urgency": "not yet assigned"}}}}})");
  write_file(dir_ / "osv/DEBIAN-CVE-2024-1002.json", R"({"id": "DEBIAN-CVE-2024-1002",
      "modified": "2024-02-14T00:00:00Z", "aliases": ["CVE-2024-1002"],
      "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N"}],
      "affected": [{"package": {"ecosystem": "Debian:12", "name": "libxml2"},
        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"},
                                                    {"fixed": "2.9.14+dfsg-1.3+deb12u1"}]}]}]})");
  using testing::nvd_cve_json;
  const testing::NvdMetric critical{"3.1", "nvd@nist.gov", "Primary", testing::kNvdV31Critical,
                                    "9.8"};
  const std::string page = testing::nvd_page_json(
      {nvd_cve_json("CVE-2024-1001", {critical}), nvd_cve_json("CVE-2024-1002", {critical})});
  write_file(dir_ / "nvd/nvdcve-2.0-2024.json", page);
  testing::HttpTestServer server;
  server.set("/rest/json/cves/2.0", testing::Route{.body = page});

  auto run = [&](std::vector<std::string> nvd) {
    std::vector<std::string> args = {
        "--inventory", "dpkg=" + (dir_ / "image").string(),
        "--ecosystem", "Debian:12",
        "--feed",      "debian-tracker=" + (dir_ / "tracker.json").string(),
        "--feed",      "osv=" + (dir_ / "osv").string(),
        "--format",    "json"};
    args.insert(args.end(), nvd.begin(), nvd.end());
    auto r = scan(args);
    EXPECT_EQ(r.code, 1) << r.err;
    return parse_json(r.out);
  };
  // Without NVD the tracker's finding has no score and no severity.
  auto bare = run({});
  const auto* unscored = find_finding(bare, "libssl3", "CVE-2024-1001");
  ASSERT_NE(unscored, nullptr) << bare["findings"].Size();
  EXPECT_TRUE((*unscored)["cvss"].IsNull());
  EXPECT_EQ(json_string((*unscored)["severity"]), "unknown");

  for (const std::string& source :
       {"nvd=" + (dir_ / "nvd").string(), "nvd=" + server.url("/rest/json/cves/2.0")}) {
    SCOPED_TRACE(source);
    auto doc = run({"--feed", source});
    const auto* tracker = find_finding(doc, "libssl3", "CVE-2024-1001");
    ASSERT_NE(tracker, nullptr);
    ASSERT_TRUE((*tracker)["cvss"].IsObject());
    EXPECT_DOUBLE_EQ((*tracker)["cvss"]["score"].GetDouble(), 9.8);
    EXPECT_EQ(json_string((*tracker)["cvss"]["vector"]), testing::kNvdV31Critical);
    EXPECT_EQ(json_string((*tracker)["cvss"]["source"]), "nvd");
    EXPECT_EQ(json_string((*tracker)["severity"]), "critical");
    EXPECT_GT((*tracker)["risk"].GetDouble(), (*unscored)["risk"].GetDouble());

    const auto* own = find_finding(doc, "libxml2", "CVE-2024-1002");
    ASSERT_NE(own, nullptr);
    EXPECT_DOUBLE_EQ((*own)["cvss"]["score"].GetDouble(), 5.3);
    EXPECT_EQ(json_string((*own)["cvss"]["source"]), "advisory");
    EXPECT_EQ(json_string((*own)["severity"]), "medium");
  }
  EXPECT_EQ(server.hits("/rest/json/cves/2.0"), 1);
}

// An image without os-release is not this machine: the scan says so and asks for --ecosystem,
// and with it the same root is scanned.
TEST_F(ScanCli, RootWithoutOsReleaseAsksForTheEcosystem) {
  write_file(dir_ / "image/var/lib/dpkg/status",
             "Package: zlib1g\nStatus: install ok installed\nVersion: 1:1.2.13.dfsg-1\n"
             "Architecture: amd64\nSource: zlib\n\n");
  auto refused = scan({"--inventory", "dpkg=" + (dir_ / "image").string(), "--feed",
                       "friendsofphp=" + advisories_.string()});
  EXPECT_EQ(refused.code, 2);
  EXPECT_THAT(refused.err, HasSubstr("no os-release under " + (dir_ / "image").string()));
  EXPECT_THAT(refused.err, HasSubstr("--ecosystem, e.g. 'Debian:12'"));
  auto given = scan({"--inventory", "dpkg=" + (dir_ / "image").string(), "--feed",
                     "friendsofphp=" + advisories_.string(), "--ecosystem", "Debian:12", "--format",
                     "json"});
  EXPECT_EQ(given.code, 0) << given.err;
  EXPECT_THAT(given.out, HasSubstr("\"findings\""));
}

}  // namespace
}  // namespace patchparty
