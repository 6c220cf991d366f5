#include "collectors/feeds/debian_tracker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "core/base/c_handles.h"
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

const Affected* in(const Advisory& a, std::string_view ecosystem) {
  for (const auto& af : a.affected)
    if (af.ecosystem == ecosystem) return &af;
  return nullptr;
}

std::string fixed_of(const Affected& a) {
  for (const auto& r : a.ranges)
    for (const auto& e : r.events)
      if (e.kind == RangeEvent::Kind::fixed) return e.version;
  return "";
}

TEST(DebianTracker, ReadsTheSampleExport) {
  auto path = test_data("debian/security-tracker-json-sample.json");
  CollectedAdvisories got;
  auto stats = read_debian_tracker(path, {}, got.sink());
  ASSERT_OK(stats);

  // An independent reading: python's json module, counting per CVE the releases that are not
  // "resolved with fixed_version 0" (all sample codenames are in our table).
  auto dir = temp_dir("py");
  auto py = patchparty::testing::run(
      {"/usr/bin/python3", "-c",
       "import json,sys\n"
       "d=json.load(open(sys.argv[1]))\n"
       "for p,cves in d.items():\n"
       "  for c,e in cves.items():\n"
       "    n=sum(1 for r in e['releases'].values()\n"
       "          if not (r['status']=='resolved' and r.get('fixed_version')=='0'))\n"
       "    print(p,c,n)\n",
       path.string()},
      dir);
  ASSERT_EQ(py.code, 0) << py.err;
  std::istringstream lines(py.out);
  std::string pkg, cve;
  std::size_t n = 0, expected_records = 0, expected_cves = 0;
  while (lines >> pkg >> cve >> n) {
    ++expected_cves;
    const Advisory* a = got.find(cve);
    if (n == 0) {
      EXPECT_EQ(a, nullptr) << cve << " has no affected release and must not be emitted";
      continue;
    }
    ++expected_records;
    ASSERT_NE(a, nullptr) << cve;
    EXPECT_EQ(a->affected.size(), n) << cve;
    for (const auto& af : a->affected) EXPECT_EQ(af.name, pkg);
  }
  EXPECT_EQ(expected_cves, 3u);
  EXPECT_EQ(stats->cves, expected_cves);
  EXPECT_EQ(stats->records, expected_records);
  EXPECT_EQ(got.advisories.size(), expected_records);
  EXPECT_EQ(stats->packages, 1u);
  EXPECT_EQ(stats->skipped, 0u);
  EXPECT_EQ(stats->bytes, std::filesystem::file_size(path));

  // CVE-2016-1585 field by field, as the sample states it.
  const Advisory* a = got.find("CVE-2016-1585");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->feed, "debian-tracker");
  EXPECT_EQ(a->summary,
            "In all versions of AppArmor mount rules are accidentally widened when compiled.");
  ASSERT_EQ(a->severity.size(), 1u);
  EXPECT_EQ(a->severity[0].type, "urgency");
  EXPECT_EQ(a->severity[0].score, "unimportant");
  const Affected* bookworm = in(*a, "Debian:12");
  ASSERT_NE(bookworm, nullptr);
  EXPECT_EQ(bookworm->name, "apparmor");
  EXPECT_EQ(bookworm->fix_status, FixStatus::unfixed);
  ASSERT_EQ(bookworm->ranges.size(), 1u);
  ASSERT_EQ(bookworm->ranges[0].events.size(), 1u);
  EXPECT_EQ(bookworm->ranges[0].events[0].kind, RangeEvent::Kind::introduced);
  EXPECT_EQ(bookworm->ranges[0].events[0].version, "0");
  const Affected* trixie = in(*a, "Debian:13");
  ASSERT_NE(trixie, nullptr);
  EXPECT_EQ(trixie->fix_status, FixStatus::fixed);
  ASSERT_EQ(trixie->ranges.size(), 1u);
  EXPECT_EQ(trixie->ranges[0].type, Range::Type::ecosystem);
  ASSERT_EQ(trixie->ranges[0].events.size(), 2u);
  EXPECT_EQ(trixie->ranges[0].events[0].version, "0");
  EXPECT_EQ(trixie->ranges[0].events[1].kind, RangeEvent::Kind::fixed);
  EXPECT_EQ(trixie->ranges[0].events[1].version, "3.0.12-1");
  const Affected* sid = in(*a, "Debian:unstable");
  ASSERT_NE(sid, nullptr);
  EXPECT_EQ(fixed_of(*sid), "3.0.12-1");
  EXPECT_NE(in(*a, "Debian:11"), nullptr);
  EXPECT_NE(in(*a, "Debian:10"), nullptr);

  // The string reader agrees with the file reader.
  CollectedAdvisories again;
  auto s2 = parse_debian_tracker(Subprocess::slurp(path), {}, again.sink());
  ASSERT_OK(s2);
  EXPECT_EQ(s2->records, stats->records);
  EXPECT_EQ(s2->affected, stats->affected);
}

// One release object per line of the table below, all under one CVE unless noted.
std::string release(std::string_view fields) {
  return "{" + std::string(fields) + "}";
}

TEST(DebianTracker, MapsEveryStatusAsTheTrackerMeansIt) {
  std::string json = R"({
    "pkg": {
      "CVE-2024-0001": {
        "description": "d1", "scope": "remote", "debianbug": 123456,
        "extra": {"nested": [1, {"a": [true, null]}], "x": "y"},
        "releases": {
          "bookworm": )" +
                     release(R"("status": "resolved", "repositories": {"bookworm": "1.2-1"},
                                   "fixed_version": "1.2-1", "urgency": "high")") +
                     R"(,
          "bullseye": )" +
                     release(R"("status": "resolved", "fixed_version": "0",
                                   "urgency": "low")") +
                     R"(,
          "buster": )" +
                     release(R"("status": "open", "urgency": "medium")") + R"(,
          "stretch": )" +
                     release(R"("status": "open", "urgency": "low", "nodsa": "Minor issue",
                                  "nodsa_reason": "")") +
                     R"(,
          "jessie": )" +
                     release(R"("status": "open", "nodsa": "", "nodsa_reason": "postponed")") +
                     R"(,
          "wheezy": )" +
                     release(R"("status": "open", "nodsa": "x", "nodsa_reason": "ignored")") +
                     R"(,
          "squeeze": )" +
                     release(R"("status": "undetermined", "urgency": "not yet assigned")") +
                     R"(,
          "lenny": )" +
                     release(R"("status": "open", "urgency": "end-of-life")") + R"(,
          "trixie": )" +
                     release(R"("status": "undetermined", "urgency": "end-of-life",
                                 "future_field": [1, 2, 3])") +
                     R"(,
          "sid": )" + release(R"("status": "resolved", "fixed_version": "1:2.0-3")") +
                     R"(,
          "hurd": )" +
                     release(R"("status": "open")") + R"(,
          "forky": )" +
                     release(R"("status": "strange")") + R"(,
          "duke": )" +
                     release(R"("status": "resolved")") + R"(,
          "etch": )" +
                     release(R"("status": "resolved", "fixed_version": "1.0 with space")") +
                     R"(,
          "sarge": )" +
                     release(R"("urgency": "low")") + R"(
        }
      },
      "CVE-2024-0002": {
        "description": null,
        "releases": {"bookworm": {"status": "resolved", "fixed_version": "0"},
                     "experimental": {"status": "open"}}
      },
      "TEMP-0000000-ABCDEF": {"releases": {"bookworm": {"status": "open"}}}
    },
    "other": {}
  })";
  CollectedAdvisories got;
  auto stats = parse_debian_tracker(json, {}, got.sink());
  ASSERT_OK(stats);
  ASSERT_EQ(got.advisories.size(), 2u);
  EXPECT_EQ(stats->records, 2u);
  EXPECT_EQ(stats->packages, 2u);
  EXPECT_EQ(stats->cves, 3u);
  EXPECT_EQ(stats->empty, 1u);         // CVE-2024-0002
  EXPECT_EQ(stats->not_affected, 2u);  // bullseye, and bookworm of CVE-2024-0002
  // hurd, experimental (unknown codenames), forky (unknown status), duke (no fixed_version),
  // etch (a version with a blank), sarge (no status).
  EXPECT_EQ(stats->skipped, 6u);
  EXPECT_EQ(stats->skipped_examples.size(), 5u);
  EXPECT_THAT(stats->skipped_examples[0], HasSubstr("hurd"));

  const Advisory& a = got.advisories[0];
  EXPECT_EQ(a.id, "CVE-2024-0001");
  EXPECT_EQ(a.summary, "d1");
  std::map<std::string, FixStatus> status;
  for (const auto& af : a.affected) {
    EXPECT_EQ(af.name, "pkg");
    status[af.ecosystem] = af.fix_status;
    ASSERT_FALSE(af.ranges.empty());
    EXPECT_EQ(af.ranges[0].events[0].kind, RangeEvent::Kind::introduced);
    EXPECT_EQ(af.ranges[0].events[0].version, "0");
    EXPECT_EQ(af.ranges[0].events.size(), af.fix_status == FixStatus::fixed ? 2u : 1u);
  }
  std::map<std::string, FixStatus> want{
      {"Debian:12", FixStatus::fixed},       {"Debian:10", FixStatus::unfixed},
      {"Debian:9", FixStatus::no_dsa},       {"Debian:8", FixStatus::postponed},
      {"Debian:7", FixStatus::ignored},      {"Debian:6", FixStatus::undetermined},
      {"Debian:5", FixStatus::end_of_life},  {"Debian:13", FixStatus::end_of_life},
      {"Debian:unstable", FixStatus::fixed},
  };
  EXPECT_EQ(status, want);
  EXPECT_EQ(stats->affected, want.size() + 1);
  EXPECT_EQ(fixed_of(*in(a, "Debian:12")), "1.2-1");
  EXPECT_EQ(fixed_of(*in(a, "Debian:unstable")), "1:2.0-3");
  std::vector<std::string> urgencies;
  for (const auto& s : a.severity) {
    EXPECT_EQ(s.type, "urgency");
    urgencies.push_back(s.score);
  }
  // Distinct, in release order, without end-of-life and without those of skipped releases.
  EXPECT_THAT(urgencies, ElementsAre("high", "medium", "low", "not yet assigned"));

  const Advisory& temp = got.advisories[1];
  EXPECT_EQ(temp.id, "TEMP-0000000-ABCDEF");
  EXPECT_TRUE(temp.summary.empty());
  EXPECT_THAT(temp.severity, IsEmpty());
  ASSERT_EQ(temp.affected.size(), 1u);
  EXPECT_EQ(temp.affected[0].fix_status, FixStatus::unfixed);
}

TEST(DebianTracker, SkipsUnusableNamesAndIds) {
  std::string json = R"({"": {"CVE-1": {"releases": {"bookworm": {"status": "open"}}}},
      "two words": {"CVE-2": {"releases": {"bookworm": {"status": "open"}}}},
      "ok": {"CVE 3": {"releases": {"bookworm": {"status": "open"}}},
             "CVE-4": {"releases": {"bookworm": {"status": "open"}}}}})";
  CollectedAdvisories got;
  auto stats = parse_debian_tracker(json, {}, got.sink());
  ASSERT_OK(stats);
  ASSERT_EQ(got.advisories.size(), 1u);
  EXPECT_EQ(got.advisories[0].id, "CVE-4");
  EXPECT_EQ(stats->skipped, 3u);
  EXPECT_EQ(stats->records, 1u);
}

TEST(DebianTracker, KeepsOnlyTheReleasesAskedFor) {
  std::string json = R"({"p": {
      "CVE-1": {"releases": {"bookworm": {"status": "open"}, "bullseye": {"status": "open"},
                             "sid": {"status": "open"}}},
      "CVE-2": {"releases": {"bullseye": {"status": "resolved", "fixed_version": "2-1"}}}}})";
  CollectedAdvisories got;
  DebianTrackerOptions options;
  options.releases = {"bookworm", "sid"};
  auto stats = parse_debian_tracker(json, options, got.sink());
  ASSERT_OK(stats);
  ASSERT_EQ(got.advisories.size(), 1u);
  ASSERT_EQ(got.advisories[0].affected.size(), 2u);
  EXPECT_EQ(got.advisories[0].affected[0].ecosystem, "Debian:12");
  EXPECT_EQ(got.advisories[0].affected[1].ecosystem, "Debian:unstable");
  EXPECT_EQ(stats->filtered, 2u);
  EXPECT_EQ(stats->empty, 1u);

  options.releases = {"bookwrom"};
  EXPECT_ERRC(parse_debian_tracker(json, options, got.sink()), Errc::invalid_argument);
}

TEST(DebianTracker, RefusesEveryTruncationOfTheSample) {
  std::string text = Subprocess::slurp(test_data("debian/security-tracker-json-sample.json"));
  std::size_t end = text.find_last_not_of(" \t\r\n") + 1;
  for (std::size_t cut = 0; cut < end; ++cut) {
    std::size_t emitted = 0;
    auto r = parse_debian_tracker(text.substr(0, cut), {}, [&](Advisory&&) -> Result<> {
      ++emitted;
      return {};
    });
    ASSERT_FALSE(r.has_value()) << "a cut at byte " << cut << " was accepted";
    EXPECT_EQ(r.error().code, Errc::data_loss) << cut;
    EXPECT_THAT(r.error().message, HasSubstr("byte ")) << cut;
  }

  // The same through a file, as a cut download would arrive.
  auto dir = temp_dir("cut");
  auto cut_file = dir / "tracker.json";
  std::ofstream(cut_file, std::ios::binary) << text.substr(0, text.size() / 2);
  auto r = read_debian_tracker(cut_file, {}, [](Advisory&&) -> Result<> { return {}; });
  EXPECT_ERRC(r, Errc::data_loss);
  EXPECT_THAT(r.error().message, HasSubstr(cut_file.string()));
  EXPECT_THAT(r.error().message, HasSubstr("byte " + std::to_string(text.size() / 2)));
  std::filesystem::remove_all(dir);
}

TEST(DebianTracker, RefusesWrongShapesNamingTheByte) {
  struct Case {
    std::string json;
    std::string says;
  };
  std::vector<Case> cases{
      {R"([])", "source packages"},
      {R"({"p": []})", "object of CVEs"},
      {R"({"p": "x"})", "object of CVEs"},
      {R"({"p": {"CVE-1": 3}})", "CVE entry"},
      {R"({"p": {"CVE-1": {"releases": []}}})", "object of releases"},
      {R"({"p": {"CVE-1": {"releases": {"bookworm": "open"}}}})", "release entry"},
      {R"({"p": {"CVE-1": {"description": 5}}})", "expected a string"},
      {R"({"p": {"CVE-1": {"releases": {"bookworm": {"status": ["open"]}}}}})",
       "expected a string"},
      {R"({"p": {"CVE-1": {"releases": {"bookworm": {"status": "open"}}}}} {})", "after the end"},
      {"{\"p\": {\"CVE-1\": {\"description\": \"\xff\"}}}", "invalid JSON"},
      {"", "invalid JSON"},
  };
  for (const auto& c : cases) {
    auto r = parse_debian_tracker(c.json, {}, [](Advisory&&) -> Result<> { return {}; });
    ASSERT_FALSE(r.has_value()) << c.json;
    EXPECT_EQ(r.error().code, Errc::data_loss) << c.json;
    EXPECT_THAT(r.error().message, HasSubstr(c.says)) << c.json;
    EXPECT_THAT(r.error().message, HasSubstr("byte ")) << c.json;
  }
  // A NUL byte is not the end of the document.
  std::string with_nul = std::string(R"({"p": {}})") + '\0' + "garbage";
  EXPECT_ERRC(parse_debian_tracker(with_nul, {}, [](Advisory&&) -> Result<> { return {}; }),
              Errc::data_loss);
}

TEST(DebianTracker, RefusesAHugeTokenInsteadOfBufferingIt) {
  std::string json = R"({"p": {"CVE-1": {"description": ")" +
                     std::string(kMaxDebianTrackerTokenBytes + 10, 'a') + R"("}}})";
  auto r = parse_debian_tracker(json, {}, [](Advisory&&) -> Result<> { return {}; });
  EXPECT_ERRC(r, Errc::resource_exhausted);
  // Just under the cap is fine.
  std::string ok = R"({"p": {"CVE-1": {"description": ")" +
                   std::string(kMaxDebianTrackerTokenBytes - 100, 'a') +
                   R"(", "releases": {"bookworm": {"status": "open"}}}}})";
  CollectedAdvisories got;
  ASSERT_OK(parse_debian_tracker(ok, {}, got.sink()));
  ASSERT_EQ(got.advisories.size(), 1u);
  EXPECT_EQ(got.advisories[0].summary.size(), kMaxDebianTrackerTokenBytes - 100);
}

TEST(DebianTracker, StopsAtTheSinksError) {
  std::string json = R"({"p": {"CVE-1": {"releases": {"bookworm": {"status": "open"}}},
                               "CVE-2": {"releases": {"bookworm": {"status": "open"}}}}})";
  int calls = 0;
  auto r = parse_debian_tracker(json, {}, [&](Advisory&&) -> Result<> {
    ++calls;
    return fail(Errc::unavailable, "store busy");
  });
  EXPECT_ERRC(r, Errc::unavailable);
  EXPECT_EQ(r.error().message, "store busy");
  EXPECT_EQ(calls, 1);
}

TEST(DebianTracker, MissingFileIsNotFound) {
  EXPECT_ERRC(read_debian_tracker("/nonexistent/tracker.json", {},
                                  [](Advisory&&) -> Result<> { return {}; }),
              Errc::not_found);
}

long max_rss_kb() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// 50,000 packages of 3 CVEs, about 80 MB: the read must not hold the document.
TEST(DebianTracker, StreamsALargeExportInBoundedMemory) {
  constexpr int kPackages = 50000;
  constexpr int kCves = 3;
  auto dir = temp_dir("large");
  auto file = dir / "tracker.json";
  {
    File out(std::fopen(file.c_str(), "wb"));
    ASSERT_TRUE(out);
    std::string pad(60, 'x');  // descriptions of a realistic size
    std::fputs("{", out.get());
    for (int p = 0; p < kPackages; ++p) {
      std::fprintf(out.get(), "%s\"package-%d\": {", p ? ",\n" : "\n", p);
      for (int c = 0; c < kCves; ++c) {
        std::fprintf(out.get(),
                     "%s\"CVE-2024-%d\": {\"description\": \"issue %d in package %d %s\", "
                     "\"scope\": \"remote\", \"debianbug\": %d, \"releases\": {"
                     "\"bookworm\": {\"status\": \"resolved\", \"repositories\": {\"bookworm\": "
                     "\"1.%d-1\"}, \"fixed_version\": \"1.%d-1\", \"urgency\": \"medium\"}, "
                     "\"bullseye\": {\"status\": \"open\", \"repositories\": {\"bullseye\": "
                     "\"1.0-1\"}, \"urgency\": \"low\", \"nodsa\": \"Minor issue\", "
                     "\"nodsa_reason\": \"\"}, "
                     "\"sid\": {\"status\": \"resolved\", \"repositories\": {\"sid\": \"1.%d-1\"}, "
                     "\"fixed_version\": \"0\", \"urgency\": \"unimportant\"}}}",
                     c ? ", " : "", 100000 + p * kCves + c, c, p, pad.c_str(), 900000 + p, c, c, c);
      }
      std::fputs("}", out.get());
    }
    std::fputs("\n}\n", out.get());
  }
  auto size = std::filesystem::file_size(file);
  EXPECT_GT(size, 75u << 20);

  std::uint64_t records = 0, last_progress = 0, progress_calls = 0;
  bool progress_ordered = true;
  DebianTrackerOptions options;
  options.progress = [&](std::uint64_t done, std::uint64_t total) {
    if (done < last_progress || total != size) progress_ordered = false;
    last_progress = done;
    ++progress_calls;
  };
  bool shapes_ok = true;
  long before = max_rss_kb();
  auto stats = read_debian_tracker(file, options, [&](Advisory&& a) -> Result<> {
    ++records;
    shapes_ok = shapes_ok && a.affected.size() == 2 && a.affected[0].ecosystem == "Debian:12" &&
                a.affected[1].fix_status == FixStatus::no_dsa;
    return {};
  });
  long growth_kb = max_rss_kb() - before;
  RecordProperty("file_bytes", std::to_string(size));
  RecordProperty("rss_growth_kb", std::to_string(growth_kb));
  std::filesystem::remove_all(dir);
  ASSERT_OK(stats);
  EXPECT_EQ(records, std::uint64_t{kPackages} * kCves);
  EXPECT_EQ(stats->records, records);
  EXPECT_EQ(stats->packages, std::uint64_t{kPackages});
  EXPECT_EQ(stats->not_affected, records);
  EXPECT_EQ(stats->bytes, size);
  EXPECT_TRUE(shapes_ok);
  EXPECT_TRUE(progress_ordered);
  EXPECT_GT(progress_calls, 50u);
  EXPECT_EQ(last_progress, size);
  EXPECT_LT(growth_kb, 64 * 1024) << "peak RSS grew by " << growth_kb << " KiB";
}

}  // namespace
}  // namespace patchparty::feeds
