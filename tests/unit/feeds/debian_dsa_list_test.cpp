#include "collectors/feeds/debian_dsa_list.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cctype>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "collectors/feeds/debian_releases.h"
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

std::string fixed_of(const Affected& a) {
  for (const auto& r : a.ranges)
    for (const auto& e : r.events)
      if (e.kind == RangeEvent::Kind::fixed) return e.version;
  return "";
}

// What a plain reading of the file says, without the parser: header lines, release lines,
// CVEs in braces, and CVEs that only NOTE lines mention.
struct RawCounts {
  std::size_t headers = 0;
  std::size_t release_lines = 0;
  std::size_t not_affected_lines = 0;
  std::size_t release_lines_without_version = 0;  // "[woody] - pkg pkg": an upstream slip
  std::set<std::string> cves_in_braces;
  std::set<std::string> cves_anywhere;
};

RawCounts raw_counts(const std::filesystem::path& file) {
  RawCounts c;
  std::ifstream in(file);
  std::string line;
  std::regex cve(R"(CVE-\d{4}-\d+)");
  while (std::getline(in, line)) {
    for (std::sregex_iterator it(line.begin(), line.end(), cve), end; it != end; ++it)
      c.cves_anywhere.insert(it->str());
    if (line.empty()) continue;
    if (line[0] == '[') {
      ++c.headers;
      continue;
    }
    std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    if (line[first] == '[') {
      ++c.release_lines;
      if (line.find("<not-affected>") != std::string::npos) ++c.not_affected_lines;
      std::istringstream words(line.substr(first));
      std::string release, dash, package, version;
      words >> release >> dash >> package >> version;
      if (version.empty() ||
          !(std::isdigit(static_cast<unsigned char>(version[0])) || version[0] == '<'))
        ++c.release_lines_without_version;
    }
    if (line[first] == '{') {
      std::istringstream words(line.substr(first));
      std::string w;
      while (words >> w) {
        std::string id;
        for (char ch : w)
          if (ch != '{' && ch != '}') id += ch;
        if (!id.empty()) c.cves_in_braces.insert(id);
      }
    }
  }
  return c;
}

struct ListCase {
  const char* file;
  std::size_t manifest_entries;
  std::size_t manifest_release_lines;  // "fixed/status lines"; 0: not stated
  std::size_t manifest_unique_cves;    // 0: not stated
};

TEST(DsaList, CountsEntriesAsTheManifestStates) {
  for (const ListCase& lc : {ListCase{"debian/DSA-list.txt", 3811, 4906, 11133},
                             ListCase{"debian/DLA-list.txt", 2457, 2459, 6499},
                             ListCase{"debian/DTSA-list.txt", 208, 0, 0}}) {
    SCOPED_TRACE(lc.file);
    auto path = test_data(lc.file);
    CollectedAdvisories got;
    auto stats = read_dsa_list(path, {}, got.sink());
    ASSERT_OK(stats);
    RawCounts raw = raw_counts(path);

    EXPECT_EQ(stats->records, lc.manifest_entries);
    EXPECT_EQ(got.advisories.size(), raw.headers);
    // Every release line is an Affected, a <not-affected>, or skipped for want of a version
    // (DSA-423 names its package twice and no version).
    EXPECT_EQ(stats->skipped, raw.release_lines_without_version)
        << (stats->skipped_examples.empty() ? std::string() : stats->skipped_examples.front());
    EXPECT_LE(stats->skipped, 1u);
    EXPECT_EQ(stats->affected + stats->not_affected + stats->skipped, raw.release_lines);
    EXPECT_EQ(stats->not_affected, raw.not_affected_lines);
    if (lc.manifest_release_lines) {
      EXPECT_EQ(raw.release_lines, lc.manifest_release_lines);
    }

    std::set<std::string> aliases;
    std::size_t affected = 0;
    for (const auto& a : got.advisories) {
      aliases.insert(a.aliases.begin(), a.aliases.end());
      affected += a.affected.size();
      EXPECT_EQ(a.published.size(), 10u) << a.id;
      EXPECT_EQ(a.feed, "debian-dsa-list");
    }
    EXPECT_EQ(affected, stats->affected);
    EXPECT_EQ(aliases, raw.cves_in_braces);
    if (lc.manifest_unique_cves) {
      // The manifest counts every CVE id in the file; a few appear only in NOTE lines.
      std::set<std::string> all = aliases;
      all.insert(raw.cves_anywhere.begin(), raw.cves_anywhere.end());
      EXPECT_EQ(all.size(), lc.manifest_unique_cves);
      EXPECT_LE(raw.cves_anywhere.size() - aliases.size(), 5u);
    }

    // The string parser reads the same entries as the file reader.
    CollectedAdvisories again;
    auto s2 = parse_dsa_list(Subprocess::slurp(path), again.sink());
    ASSERT_OK(s2);
    ASSERT_EQ(again.advisories.size(), got.advisories.size());
    for (std::size_t i = 0; i < got.advisories.size(); ++i) {
      EXPECT_EQ(again.advisories[i].id, got.advisories[i].id);
      EXPECT_EQ(again.advisories[i].aliases, got.advisories[i].aliases);
      EXPECT_EQ(again.advisories[i].affected.size(), got.advisories[i].affected.size());
    }
  }
}

TEST(DsaList, CountsReleaseLinesPerReleaseAsTheManifestStates) {
  auto path = test_data("debian/DSA-list.txt");
  std::map<std::string, std::size_t> manifest{
      {"jessie", 631}, {"woody", 597},   {"wheezy", 556}, {"stretch", 525}, {"sarge", 510},
      {"etch", 484},   {"squeeze", 458}, {"buster", 425}, {"lenny", 423},   {"bullseye", 297}};
  for (const auto& [codename, lines] : manifest) {
    DsaListOptions options;
    options.releases = {codename};
    std::size_t wrong_release = 0;
    // A copy: C++20 does not let a lambda capture a structured binding (clang refuses it).
    const auto ecosystem = debian_ecosystem(codename);
    auto stats = read_dsa_list(path, options, [&](Advisory&& a) -> Result<> {
      for (const auto& af : a.affected)
        if (af.ecosystem != ecosystem) ++wrong_release;
      return {};
    });
    ASSERT_OK(stats);
    EXPECT_EQ(stats->affected + stats->not_affected + stats->skipped, lines) << codename;
    EXPECT_EQ(stats->affected + stats->not_affected + stats->skipped + stats->filtered, 4906u)
        << codename;
    EXPECT_EQ(wrong_release, 0u) << codename;
  }
  DsaListOptions bad;
  bad.releases = {"buzz", "jesse"};
  EXPECT_ERRC(read_dsa_list(path, bad, [](Advisory&&) -> Result<> { return {}; }),
              Errc::invalid_argument);
}

TEST(DsaList, ReadsEntriesFieldByField) {
  CollectedAdvisories dsa, dtsa;
  ASSERT_OK(read_dsa_list(test_data("debian/DSA-list.txt"), {}, dsa.sink()));
  ASSERT_OK(read_dsa_list(test_data("debian/DTSA-list.txt"), {}, dtsa.sink()));

  // [20 Sep 2014] DSA-3029-1 nginx - security update
  const Advisory* a = dsa.find("DSA-3029-1");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->feed, "debian-dsa-list");
  EXPECT_EQ(a->published, "2014-09-20");
  EXPECT_EQ(a->summary, "nginx - security update");
  EXPECT_THAT(a->aliases, ElementsAre("CVE-2014-3616"));
  EXPECT_THAT(a->severity, IsEmpty());
  ASSERT_EQ(a->affected.size(), 1u);
  EXPECT_EQ(a->affected[0].ecosystem, "Debian:7");
  EXPECT_EQ(a->affected[0].name, "nginx");
  EXPECT_EQ(a->affected[0].fix_status, FixStatus::fixed);
  ASSERT_EQ(a->affected[0].ranges.size(), 1u);
  EXPECT_EQ(a->affected[0].ranges[0].type, Range::Type::ecosystem);
  ASSERT_EQ(a->affected[0].ranges[0].events.size(), 2u);
  EXPECT_EQ(a->affected[0].ranges[0].events[0].kind, RangeEvent::Kind::introduced);
  EXPECT_EQ(a->affected[0].ranges[0].events[0].version, "0");
  EXPECT_EQ(a->affected[0].ranges[0].events[1].kind, RangeEvent::Kind::fixed);
  EXPECT_EQ(a->affected[0].ranges[0].events[1].version, "1.2.1-2.2+wheezy3");

  // Indented with 7 spaces, and a blank before the closing brace.
  a = dsa.find("DSA-2239-1");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->published, "2011-05-24");
  EXPECT_THAT(a->aliases, ElementsAre("CVE-2010-4802", "CVE-2010-4803", "CVE-2011-1841"));
  ASSERT_EQ(a->affected.size(), 1u);
  EXPECT_EQ(a->affected[0].ecosystem, "Debian:6");
  EXPECT_EQ(fixed_of(a->affected[0]), "0.999926-1+squeeze2");

  // An id without revision, "--" before the title, woody.
  a = dsa.find("DSA-135");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->published, "2002-07-02");
  EXPECT_EQ(a->summary, "libapache-mod-ssl -- buffer overflow / DoS");
  ASSERT_EQ(a->affected.size(), 1u);
  EXPECT_EQ(a->affected[0].ecosystem, "Debian:3.0");
  EXPECT_EQ(fixed_of(a->affected[0]), "2.8.9-2");

  // No package in the header; no title.
  a = dsa.find("DSA-1727-1");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->summary, "SQL injection vulnerabilites");
  ASSERT_EQ(a->affected.size(), 1u);
  EXPECT_EQ(a->affected[0].name, "proftpd-dfsg");
  a = dsa.find("DSA-2114-1");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->summary, "git-core");
  EXPECT_EQ(fixed_of(a->affected[0]), "1:1.5.6.5-3+lenny3.1");

  // <end-of-life>: every version affected, no fix.
  a = dsa.find("DSA-3699-1");
  ASSERT_NE(a, nullptr);
  ASSERT_EQ(a->affected.size(), 1u);
  EXPECT_EQ(a->affected[0].ecosystem, "Debian:8");
  EXPECT_EQ(a->affected[0].name, "virtualbox");
  EXPECT_EQ(a->affected[0].fix_status, FixStatus::end_of_life);
  ASSERT_EQ(a->affected[0].ranges.size(), 1u);
  ASSERT_EQ(a->affected[0].ranges[0].events.size(), 1u);
  EXPECT_EQ(a->affected[0].ranges[0].events[0].version, "0");

  // [August 26th, 2005] DTSA-1-1 kismet - various
  a = dtsa.find("DTSA-1-1");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->published, "2005-08-26");
  EXPECT_EQ(a->summary, "kismet - various");
  EXPECT_THAT(a->aliases, ElementsAre("CVE-2005-2626", "CVE-2005-2627"));
  ASSERT_EQ(a->affected.size(), 1u);
  EXPECT_EQ(a->affected[0].ecosystem, "Debian:4");
  EXPECT_EQ(a->affected[0].name, "kismet");
  EXPECT_EQ(fixed_of(a->affected[0]), "2005.08.R1-0.1etch1");
  ASSERT_EQ(a->severity.size(), 1u);
  EXPECT_EQ(a->severity[0].type, "urgency");
  EXPECT_EQ(a->severity[0].score, "high");
  // "[September 22nd, 2005]"
  a = dtsa.find("DTSA-19-1");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->published, "2005-09-22");
}

std::vector<std::string> json_strings(const rapidjson::Document& doc, const char* field) {
  std::vector<std::string> out;
  auto it = doc.FindMember(field);
  if (it == doc.MemberEnd() || !it->value.IsArray()) return out;
  for (const auto& v : it->value.GetArray())
    if (v.IsString()) out.emplace_back(v.GetString());
  return out;
}

// The list and osv.dev's conversion of it agree on what matters for matching: ecosystem,
// package, fixed version, CVEs, date and summary. Real differences, checked as such below:
// osv.dev puts a DLA's CVEs in "upstream" (a DSA's in "aliases") and adds its own
// "DEBIAN-CVE-…" ids; its dates carry a time ("2014-09-20T00:00:00Z").
TEST(DsaList, AgreesWithOsvDebianRecords) {
  CollectedAdvisories dsa, dla;
  ASSERT_OK(read_dsa_list(test_data("debian/DSA-list.txt"), {}, dsa.sink()));
  ASSERT_OK(read_dsa_list(test_data("debian/DLA-list.txt"), {}, dla.sink()));
  for (std::string id : {"DSA-3029-1", "DLA-3012-1", "DLA-3022-1", "DLA-3051-1"}) {
    SCOPED_TRACE(id);
    std::string text = Subprocess::slurp(test_data("debian/osv/" + id + ".json"));
    auto osv = parse_osv_record(text);
    ASSERT_OK(osv);
    rapidjson::Document doc;
    doc.Parse(text.data(), text.size());
    ASSERT_FALSE(doc.HasParseError());

    const Advisory* ours = (id.starts_with("DSA") ? dsa : dla).find(id);
    ASSERT_NE(ours, nullptr);
    EXPECT_EQ(ours->id, osv->id);
    EXPECT_EQ(ours->summary, osv->summary);
    EXPECT_EQ(ours->published, osv->published.substr(0, 10));

    ASSERT_EQ(ours->affected.size(), osv->affected.size());
    for (std::size_t i = 0; i < ours->affected.size(); ++i) {
      EXPECT_EQ(ours->affected[i].ecosystem, osv->affected[i].ecosystem);
      EXPECT_EQ(ours->affected[i].name, osv->affected[i].name);
      EXPECT_EQ(fixed_of(ours->affected[i]), fixed_of(osv->affected[i]));
      EXPECT_FALSE(fixed_of(ours->affected[i]).empty());
    }

    std::set<std::string> osv_ids;
    for (const auto& s : json_strings(doc, "aliases")) osv_ids.insert(s);
    for (const auto& s : json_strings(doc, "upstream")) osv_ids.insert(s);
    std::set<std::string> list_ids(ours->aliases.begin(), ours->aliases.end());
    std::set<std::string> expected = list_ids;
    for (const auto& cve : list_ids)
      if (osv_ids.count("DEBIAN-" + cve)) expected.insert("DEBIAN-" + cve);
    EXPECT_EQ(osv_ids, expected);
  }
  // DLA-3051-1 (tzdata) names no CVE on either side.
  EXPECT_THAT(dla.find("DLA-3051-1")->aliases, IsEmpty());
}

TEST(DsaList, ToleratesUpstreamQuirks) {
  std::string text =
      "[01 Apr 2023] DLA-9-1 pkg - security update\r\n"
      "\t{ CVE-2023-0001  CVE-2023-0002 }\r\n"
      "        [bullseye] - pkg 1:1.0-1+deb11u1\r\n"
      "    \t[buster] - pkg <not-affected> (vulnerable code not present)\n"
      " \t[stretch] - pkg <unfixed>\n"
      "\tNOTE: free text [jessie] - pkg 1.0\n"
      "\n"
      "\t[jessie] - other-pkg 2.0-1 (bug #1234; medium)\n"
      "\t[hamm] - pkg 0.1-1\n"
      "\t[hurd] - pkg 1.0\n"
      "\t[wheezy] - pkg\n"
      "\t[squeeze] - pkg not-a-version\n"
      "\t[lenny] - pkg <frobbed>\n"
      "\tsomething else\n"
      "[August 1st, 2007] DTSA-50-1 x\n"
      "[05 Feb 2007] DSA-1257 samba";  // no newline at the end
  CollectedAdvisories got;
  auto stats = parse_dsa_list(text, got.sink());
  ASSERT_OK(stats);
  ASSERT_EQ(got.advisories.size(), 3u);
  const Advisory& a = got.advisories[0];
  EXPECT_EQ(a.id, "DLA-9-1");
  EXPECT_EQ(a.published, "2023-04-01");
  EXPECT_THAT(a.aliases, ElementsAre("CVE-2023-0001", "CVE-2023-0002"));
  ASSERT_EQ(a.affected.size(), 4u);
  EXPECT_EQ(a.affected[0].ecosystem, "Debian:11");
  EXPECT_EQ(fixed_of(a.affected[0]), "1:1.0-1+deb11u1");
  EXPECT_EQ(a.affected[1].ecosystem, "Debian:9");
  EXPECT_EQ(a.affected[1].fix_status, FixStatus::unfixed);
  EXPECT_EQ(a.affected[2].name, "other-pkg");
  EXPECT_EQ(a.affected[2].ecosystem, "Debian:8");
  EXPECT_EQ(a.affected[3].ecosystem, "Debian:2.0");
  ASSERT_EQ(a.severity.size(), 1u);
  EXPECT_EQ(a.severity[0].score, "medium");
  EXPECT_EQ(stats->not_affected, 1u);
  EXPECT_EQ(stats->notes, 1u);
  // hurd, wheezy without a version, squeeze's non-version, lenny's unknown state, "something".
  EXPECT_EQ(stats->skipped, 5u);
  ASSERT_FALSE(stats->skipped_examples.empty());
  EXPECT_THAT(stats->skipped_examples[0], HasSubstr("line 10"));
  EXPECT_EQ(got.advisories[1].id, "DTSA-50-1");
  EXPECT_EQ(got.advisories[1].published, "2007-08-01");
  EXPECT_EQ(got.advisories[1].summary, "x");
  EXPECT_EQ(got.advisories[2].id, "DSA-1257");
  EXPECT_EQ(got.advisories[2].summary, "samba");
  EXPECT_THAT(got.advisories[2].affected, IsEmpty());

  CollectedAdvisories none;
  auto empty = parse_dsa_list("", none.sink());
  ASSERT_OK(empty);
  EXPECT_EQ(empty->records, 0u);
}

TEST(DsaList, RefusesMalformedHeadersNamingTheLine) {
  struct Case {
    std::string text;
    std::string says;
  };
  const std::string ok = "[01 Apr 2023] DLA-1-1 p - t\n\t[buster] - p 1.0\n";
  std::vector<Case> cases{
      {ok + "[01 Apr 2023 DLA-2-1 p - t\n", "line 3"},
      {ok + "[32 Apr 2023] DLA-2-1 p - t\n", "line 3: unreadable date"},
      {ok + "[01 Foo 2023] DLA-2-1 p - t\n", "unreadable date"},
      {ok + "[Foo 1st, 2023] DLA-2-1 p - t\n", "unreadable date"},
      {ok + "[01 Apr 23] DLA-2-1 p - t\n", "unreadable date"},
      {ok + "[01 Apr 2023] USN-2-1 p - t\n", "line 3: header without a DSA/DLA/DTSA id"},
      {ok + "[01 Apr 2023] DLA-x-1 p - t\n", "id"},
      {ok + "[01 Apr 2023]\n", "id"},
      {ok + "DLA-2-1 p - t\n", "line 3: not an entry header"},
      {"\t[buster] - p 1.0\n" + ok, "line 1: indented line before the first entry header"},
  };
  for (const auto& c : cases) {
    std::size_t emitted = 0;
    auto r = parse_dsa_list(c.text, [&](Advisory&&) -> Result<> {
      ++emitted;
      return {};
    });
    ASSERT_FALSE(r.has_value()) << c.text;
    EXPECT_EQ(r.error().code, Errc::data_loss) << c.text;
    EXPECT_THAT(r.error().message, HasSubstr(c.says)) << c.text;
  }

  std::string long_line = ok + "\t{" + std::string(kMaxDsaListLineBytes, 'C') + "}\n";
  EXPECT_ERRC(parse_dsa_list(long_line, [](Advisory&&) -> Result<> { return {}; }),
              Errc::resource_exhausted);
  std::string long_entry = ok;
  for (std::size_t i = 0; long_entry.size() <= kMaxDsaListEntryBytes + kMaxDsaListEntryBytes / 10;
       ++i)
    long_entry += "\t[buster] - p 1.0-" + std::to_string(i) + "\n";
  EXPECT_ERRC(parse_dsa_list(long_entry, [](Advisory&&) -> Result<> { return {}; }),
              Errc::resource_exhausted);

  // The file reader reports the same, with the file name.
  auto dir = temp_dir("bad");
  std::ofstream(dir / "list") << ok << "[01 Apr 2023] XSA-2 p - t\n";
  auto r = read_dsa_list(dir / "list", {}, [](Advisory&&) -> Result<> { return {}; });
  EXPECT_ERRC(r, Errc::data_loss);
  EXPECT_THAT(r.error().message, HasSubstr("line 3"));
  EXPECT_THAT(r.error().message, HasSubstr((dir / "list").string()));
  std::ofstream(dir / "long") << ok << "\t{" << std::string(3 * kMaxDsaListLineBytes, 'C');
  EXPECT_ERRC(read_dsa_list(dir / "long", {}, [](Advisory&&) -> Result<> { return {}; }),
              Errc::resource_exhausted);
  EXPECT_ERRC(read_dsa_list(dir / "missing", {}, [](Advisory&&) -> Result<> { return {}; }),
              Errc::not_found);
  std::filesystem::remove_all(dir);
}

TEST(DsaList, StopsAtTheSinksError) {
  int calls = 0;
  auto r = parse_dsa_list("[01 Apr 2023] DLA-1-1 p - t\n[01 Apr 2023] DLA-2-1 p - t\n",
                          [&](Advisory&&) -> Result<> {
                            ++calls;
                            return fail(Errc::unavailable, "store busy");
                          });
  EXPECT_ERRC(r, Errc::unavailable);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace patchparty::feeds
