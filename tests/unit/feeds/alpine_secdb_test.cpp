#include "collectors/feeds/alpine_secdb.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "core/record/osv_record.h"
#include "tests/support/collected_advisories.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty::feeds {
namespace {

using patchparty::testing::CollectedAdvisories;
using patchparty::testing::Subprocess;
using patchparty::testing::temp_dir;
using patchparty::testing::test_data;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<std::string> fixed_versions(const Affected& a) {
  std::vector<std::string> out;
  for (const auto& r : a.ranges)
    for (const auto& e : r.events)
      if (e.kind == RangeEvent::Kind::fixed) out.push_back(e.version);
  return out;
}

// python's json module, reading secdb the way the header describes, prints one line per
// (package, id): "package<TAB>id<TAB>sorted fixed versions<TAB>sorted aliases", then a last
// line "# packages fixes zero".
constexpr const char* kPythonReading = R"(
import json, sys
d = json.load(open(sys.argv[1]))
packages = fixes = zero = 0
for p in d["packages"]:
    packages += 1
    name = p["pkg"]["name"]
    found = {}
    for version, ids in p["pkg"].get("secfixes", {}).items():
        for s in ids:
            fixes += 1
            if version == "0":
                zero += 1
                continue
            words = s.split()
            v, a = found.setdefault(words[0], (set(), set()))
            v.add(version)
            a.update(words[1:])
    for i, (v, a) in found.items():
        print(name + "\t" + i + "\t" + ",".join(sorted(v)) + "\t" + ",".join(sorted(a)))
print("#", packages, fixes, zero)
)";

std::string join_sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}

TEST(AlpineSecdb, ReadsEveryFileAsPythonDoes) {
  auto dir = temp_dir("py");
  std::size_t files = 0;
  for (const auto& e : std::filesystem::directory_iterator(test_data("alpine"))) {
    if (e.path().extension() != ".json") continue;
    ++files;
    SCOPED_TRACE(e.path().filename().string());
    CollectedAdvisories got;
    auto stats = read_alpine_secdb(e.path(), got.sink());
    ASSERT_OK(stats);

    auto py = patchparty::testing::run(
        {"/usr/bin/python3", "-c", kPythonReading, e.path().string()}, dir);
    ASSERT_EQ(py.code, 0) << py.err;
    std::multiset<std::string> expected;
    std::size_t packages = 0, fixes = 0, zero = 0;
    std::istringstream lines(py.out);
    for (std::string line; std::getline(lines, line);) {
      if (line.starts_with("# ")) {
        std::istringstream(line.substr(2)) >> packages >> fixes >> zero;
        continue;
      }
      expected.insert(line);
    }
    ASSERT_GT(expected.size(), 1000u);

    std::string release =
        "Alpine:" + e.path().stem().string().substr(0, e.path().stem().string().find('-'));
    std::multiset<std::string> ours;
    for (const auto& a : got.advisories) {
      ASSERT_EQ(a.affected.size(), 1u) << a.id;
      const Affected& af = a.affected[0];
      EXPECT_EQ(a.feed, "alpine-secdb");
      EXPECT_EQ(af.ecosystem, release);
      EXPECT_EQ(af.fix_status, FixStatus::fixed);
      for (const auto& r : af.ranges) {
        EXPECT_EQ(r.type, Range::Type::ecosystem);
        ASSERT_EQ(r.events.size(), 2u);
        EXPECT_EQ(r.events[0].kind, RangeEvent::Kind::introduced);
        EXPECT_EQ(r.events[0].version, "0");
      }
      ours.insert(af.name + "\t" + a.id + "\t" + join_sorted(fixed_versions(af)) + "\t" +
                  join_sorted(a.aliases));
    }
    EXPECT_EQ(ours, expected);
    EXPECT_EQ(stats->records, expected.size());
    EXPECT_EQ(stats->packages, packages);
    EXPECT_EQ(stats->fixes, fixes);
    EXPECT_EQ(stats->not_affected, zero);
    EXPECT_GT(zero, 0u);  // every file has "0" keys (MANIFEST: 22 in v3.18-main)
    EXPECT_EQ(stats->skipped, 0u);
  }
  EXPECT_EQ(files, 8u);
  std::filesystem::remove_all(dir);
}

TEST(AlpineSecdb, MatchesTheManifestCounts) {
  struct Row {
    const char* file;
    std::uint64_t packages, ids;
  };
  for (const Row& row :
       {Row{"alpine/v3.18-community.json", 355, 5042}, Row{"alpine/v3.18-main.json", 246, 2561},
        Row{"alpine/v3.19-community.json", 383, 5202}, Row{"alpine/v3.19-main.json", 257, 2579},
        Row{"alpine/v3.20-community.json", 408, 5347}, Row{"alpine/v3.20-main.json", 255, 2576},
        Row{"alpine/v3.21-community.json", 414, 5422}, Row{"alpine/v3.21-main.json", 256, 2533}}) {
    auto stats = read_alpine_secdb(test_data(row.file), [](Advisory&&) -> Result<> { return {}; });
    ASSERT_OK(stats);
    EXPECT_EQ(stats->packages, row.packages) << row.file;
    EXPECT_EQ(stats->fixes, row.ids) << row.file;
  }
}

TEST(AlpineSecdb, ReadsEntriesFieldByField) {
  CollectedAdvisories got;
  auto stats = read_alpine_secdb(test_data("alpine/v3.18-main.json"), got.sink());
  ASSERT_OK(stats);
  EXPECT_EQ(stats->not_affected, 42u);  // the ids under the 22 "0" keys

  // {"pkg": {"name": "aom","secfixes": {"3.1.1-r0": ["CVE-2021-30473", …]}}}
  const Advisory* a = got.find("aom", "CVE-2021-30473");
  ASSERT_NE(a, nullptr);
  EXPECT_THAT(a->aliases, IsEmpty());
  ASSERT_EQ(a->affected.size(), 1u);
  EXPECT_EQ(a->affected[0].ecosystem, "Alpine:v3.18");
  EXPECT_EQ(a->affected[0].name, "aom");
  EXPECT_THAT(fixed_versions(a->affected[0]), ElementsAre("3.1.1-r0"));

  // "CVE-2021-27219 GHSL-2021-045": the vendor id becomes an alias.
  a = got.find("glib", "CVE-2021-27219");
  ASSERT_NE(a, nullptr);
  EXPECT_THAT(a->aliases, ElementsAre("GHSL-2021-045"));
  EXPECT_THAT(fixed_versions(a->affected[0]), ElementsAre("2.66.6-r0"));

  // A non-CVE id stays the id.
  EXPECT_NE(got.find("busybox", "ALPINE-13661"), nullptr);

  // Listed under three versions: one range each, so the last fix decides.
  a = got.find("intel-ucode", "CVE-2018-12126");
  ASSERT_NE(a, nullptr);
  EXPECT_THAT(fixed_versions(a->affected[0]),
              ElementsAre("20190514a-r0", "20190618-r0", "20191112-r0"));

  // Under "0" only: never affected in this branch, so not emitted.
  EXPECT_EQ(got.find("curl", "CVE-2021-22897"), nullptr);
  EXPECT_NE(got.find("curl", "CVE-2023-38545"), nullptr);
}

// osv.dev's Alpine records are its conversion of secdb. The one here (musl, CVE-2025-26519) is
// newer than these secdb files (Dec 2024), so they share the package and releases, not the CVE:
// checked is that we name them the same way and state ranges in the same shape.
TEST(AlpineSecdb, AgreesWithOsvAlpineRecordWhereTheyOverlap) {
  auto osv =
      parse_osv_record(Subprocess::slurp(test_data("alpine/osv/ALPINE-CVE-2025-26519.json")));
  ASSERT_OK(osv);
  std::size_t overlapping = 0;
  for (const auto& e : std::filesystem::directory_iterator(test_data("alpine"))) {
    if (e.path().extension() != ".json" || !e.path().stem().string().ends_with("-main")) continue;
    CollectedAdvisories got;
    ASSERT_OK(read_alpine_secdb(e.path(), got.sink()));
    std::vector<const Advisory*> musl;
    for (const auto& a : got.advisories) {
      if (a.affected[0].name == "musl") musl.push_back(&a);
      EXPECT_NE(a.id, "CVE-2025-26519");
      for (const auto& alias : a.aliases) EXPECT_NE(alias, "CVE-2025-26519");
    }
    ASSERT_FALSE(musl.empty()) << e.path();
    const Affected& ours = musl.front()->affected[0];
    auto theirs = std::find_if(osv->affected.begin(), osv->affected.end(),
                               [&](const Affected& af) { return af.ecosystem == ours.ecosystem; });
    ASSERT_NE(theirs, osv->affected.end()) << ours.ecosystem << " is not an OSV ecosystem name";
    ++overlapping;
    EXPECT_EQ(theirs->name, ours.name);
    ASSERT_EQ(theirs->ranges.size(), 1u);
    EXPECT_EQ(theirs->ranges[0].type, ours.ranges[0].type);
    ASSERT_EQ(theirs->ranges[0].events.size(), ours.ranges[0].events.size());
    for (std::size_t i = 0; i < ours.ranges[0].events.size(); ++i)
      EXPECT_EQ(theirs->ranges[0].events[i].kind, ours.ranges[0].events[i].kind);
    EXPECT_EQ(theirs->fix_status, ours.fix_status);
  }
  EXPECT_EQ(overlapping, 4u);  // v3.18 … v3.21
}

TEST(AlpineSecdb, RefusesMalformedInput) {
  struct Case {
    std::string json;
    Errc code;
    std::string says;
  };
  std::vector<Case> cases{
      {"", Errc::data_loss, "invalid JSON at byte 0"},
      {R"({"distroversion": "v3.19", "packages": [)", Errc::data_loss, "invalid JSON at byte"},
      {R"([])", Errc::data_loss, "not an object"},
      {R"({"packages": []})", Errc::data_loss, "distroversion"},
      {R"({"distroversion": "v3 19", "packages": []})", Errc::data_loss, "distroversion"},
      {R"({"distroversion": "v3.19"})", Errc::data_loss, "packages"},
      {R"({"distroversion": "v3.19", "packages": {}})", Errc::data_loss, "packages"},
      {R"({"distroversion": "v3.19", "packages": [1]})", Errc::data_loss, "packages[0]"},
      {R"({"distroversion": "v3.19", "packages": [{"pkg": []}]})", Errc::data_loss, "pkg"},
      {R"({"distroversion": "v3.19", "packages": [{"pkg": {"secfixes": {}}}]})", Errc::data_loss,
       "name"},
      {R"({"distroversion": "v3.19", "packages": [{"pkg": {"name": "a", "secfixes": []}}]})",
       Errc::data_loss, "secfixes"},
      {R"({"distroversion": "v3.19", "packages": [{"pkg": {"name": "a",
          "secfixes": {"1-r0": "CVE-1"}}}]})",
       Errc::data_loss, "not an array"},
      {R"({"distroversion": "v3.19", "packages": [{}, {"pkg": {"name": "a",
          "secfixes": {"1-r0": [1]}}}]})",
       Errc::data_loss, "packages[0]"},
  };
  for (const auto& c : cases) {
    auto r = parse_alpine_secdb(c.json, [](Advisory&&) -> Result<> { return {}; });
    ASSERT_FALSE(r.has_value()) << c.json;
    EXPECT_EQ(r.error().code, c.code) << c.json;
    EXPECT_THAT(r.error().message, HasSubstr(c.says)) << c.json;
  }

  std::string big(kMaxAlpineSecdbBytes + 1, ' ');
  EXPECT_ERRC(parse_alpine_secdb(big, [](Advisory&&) -> Result<> { return {}; }),
              Errc::resource_exhausted);
  auto dir = temp_dir("big");
  std::ofstream(dir / "big.json") << big;
  EXPECT_ERRC(read_alpine_secdb(dir / "big.json", [](Advisory&&) -> Result<> { return {}; }),
              Errc::resource_exhausted);
  std::filesystem::remove_all(dir);
}

TEST(AlpineSecdb, SkipsUnusableValuesAndCountsThem) {
  std::string json = R"({"distroversion": "v3.20", "reponame": "main", "packages": [
    {"pkg": {"name": "bad name", "secfixes": {"1-r0": ["CVE-2024-1"]}}},
    {"pkg": {"name": "nofixes"}},
    {"pkg": {"name": "nullfixes", "secfixes": null}},
    {"pkg": {"name": "a", "secfixes": {
      "0": ["CVE-2024-2"],
      "1 r0": ["CVE-2024-3"],
      "1.1-r0": ["", "   ", "CVE-2024-4 XSA-1 XSA-2", "CVE-2024-4 XSA-2"],
      "1.2-r0": ["CVE-2024-4", "ZDI-CAN-1", "ZDI-CAN-1 ZDI-CAN-1 BAD\u007fALIAS"],
      "1.3-r0": null}}}]})";
  CollectedAdvisories got;
  auto stats = parse_alpine_secdb(json, got.sink());
  ASSERT_OK(stats);
  EXPECT_EQ(stats->packages, 4u);
  EXPECT_EQ(stats->not_affected, 1u);
  // "bad name", "1 r0", "", "   " and an alias with a control character.
  EXPECT_EQ(stats->skipped, 5u);
  ASSERT_EQ(got.advisories.size(), 2u);
  EXPECT_EQ(got.advisories[0].id, "CVE-2024-4");
  EXPECT_THAT(got.advisories[0].aliases, ElementsAre("XSA-1", "XSA-2"));
  EXPECT_EQ(got.advisories[0].affected[0].ecosystem, "Alpine:v3.20");
  EXPECT_THAT(fixed_versions(got.advisories[0].affected[0]), ElementsAre("1.1-r0", "1.2-r0"));
  EXPECT_EQ(got.advisories[1].id, "ZDI-CAN-1");
  EXPECT_THAT(got.advisories[1].aliases, IsEmpty());  // not itself, not the unusable one
}

TEST(AlpineSecdb, StopsAtTheSinksError) {
  int calls = 0;
  auto r = parse_alpine_secdb(
      R"({"distroversion": "v3.20", "packages": [{"pkg": {"name": "a", "secfixes":
         {"1-r0": ["CVE-1", "CVE-2"]}}}]})",
      [&](Advisory&&) -> Result<> {
        ++calls;
        return fail(Errc::unavailable, "store busy");
      });
  EXPECT_ERRC(r, Errc::unavailable);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace patchparty::feeds
