#include "collectors/feeds/friendsofphp.h"

#include <archive.h>
#include <archive_entry.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/test_data.h"

namespace patchparty::feeds {
namespace {

using patchparty::testing::temp_dir;
using patchparty::testing::test_data;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::vector<std::filesystem::path> yaml_files(const std::filesystem::path& root) {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root))
    if (e.is_regular_file() && e.path().extension() == ".yaml") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// What the test reads from an advisory's text on its own, line by line: the database's files
// keep one "versions:" line per branch and one "reference:" line.
struct TextFacts {
  std::string package;
  std::size_t branches = 0;
  std::size_t strict_lower = 0;  // branches with a '>X' bound
  bool every_branch_bounded = true;
};

TextFacts facts(const std::string& text) {
  TextFacts f;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (auto at = line.find("composer://"); line.starts_with("reference:") && at != line.npos) {
      f.package = line.substr(at + 11);
      while (!f.package.empty() && (std::isspace(static_cast<unsigned char>(f.package.back())) ||
                                    f.package.back() == '\'' || f.package.back() == '"'))
        f.package.pop_back();
    }
    auto at = line.find("versions:");
    if (at == line.npos) continue;
    const std::string list = line.substr(at);
    ++f.branches;
    if (list.find('<') == list.npos) f.every_branch_bounded = false;
    for (std::size_t i = 0; i + 1 < list.size(); ++i)
      if (list[i] == '>' && list[i + 1] != '=') ++f.strict_lower;
  }
  return f;
}

const std::string& stable_id(const Advisory& a) {
  return a.id.starts_with("FRIENDSOFPHP-") ? a.id : a.aliases.at(0);
}

Result<FriendsOfPhpReadStats> read_all(const std::filesystem::path& p, std::vector<Advisory>& out) {
  return read_friendsofphp(p, {}, [&](Advisory&& a) -> Result<> {
    out.push_back(std::move(a));
    return {};
  });
}

struct Member {
  std::string name;
  std::string body;
};

void write_zip(const std::filesystem::path& zip, const std::vector<Member>& members) {
  archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  ASSERT_EQ(archive_write_open_filename(a, zip.c_str()), ARCHIVE_OK);
  for (const auto& m : members) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, m.name.c_str());
    bool dir = m.name.ends_with("/");
    archive_entry_set_size(entry, dir ? 0 : static_cast<la_int64_t>(m.body.size()));
    archive_entry_set_filetype(entry, dir ? AE_IFDIR : AE_IFREG);
    archive_entry_set_perm(entry, dir ? 0755 : 0644);
    ASSERT_EQ(archive_write_header(a, entry), ARCHIVE_OK);
    if (!dir) archive_write_data(a, m.body.data(), m.body.size());
    archive_entry_free(entry);
  }
  archive_write_close(a);
  archive_write_free(a);
}

// The shared subset laid out as GitHub's archive of the repository: one top folder, and the
// repository's non-advisory files beside the advisories.
std::vector<Member> github_layout() {
  const std::string top = "security-advisories-master/";
  auto root = test_data("friendsofphp");
  std::vector<Member> members = {
      {top, ""},
      {top + ".github/", ""},
      {top + ".github/workflows/php.yml", "name: CI\non: [push]\n"},
      {top + ".github/ISSUE_TEMPLATE/x/y.yaml", "title: not an advisory\n"},
      {top + "README.md", "PHP Security Advisories Database\n"},
      {top + "validator.php", "<?php\n"},
      {top + "composer.json", "{}\n"},
      {top + "LICENSE", "Unlicense\n"}};
  for (const auto& f : yaml_files(root))
    members.push_back({top + f.lexically_relative(root).generic_string(), slurp(f)});
  return members;
}

std::string yaml_with(std::string_view branches) {
  return "title: Example\nlink: https://example.org/a\ncve: ~\nbranches:\n" +
         std::string(branches) + "reference: composer://acme/widget\n";
}

TEST(FriendsOfPhp, EveryAdvisoryOfTheSharedSubsetParses) {
  auto root = test_data("friendsofphp");
  auto files = yaml_files(root);
  EXPECT_EQ(files.size(), 473u);  // the MANIFEST's count

  std::vector<Advisory> got;
  auto s = read_all(root, got);
  ASSERT_OK(s);
  EXPECT_EQ(s->advisories, files.size());
  EXPECT_EQ(s->skipped, 0u) << (s->skipped_examples.empty() ? "" : s->skipped_examples[0]);
  ASSERT_EQ(got.size(), files.size());

  // A CVE is often filed once per affected package (CVE-2015-5723 under four doctrine packages),
  // so only the stable id is unique.
  std::map<std::string, const Advisory*> by_stable_id;
  for (const auto& a : got)
    EXPECT_TRUE(by_stable_id.emplace(stable_id(a), &a).second) << stable_id(a);
  std::size_t branches = 0, ecosystem_ranges = 0, strict = 0;
  for (const auto& file : files) {
    const auto rel = file.lexically_relative(root).generic_string();
    const auto text = slurp(file);
    const auto want = facts(text);
    SCOPED_TRACE(rel);
    const std::string stable = "FRIENDSOFPHP-" + rel.substr(0, rel.size() - 5);
    auto found = by_stable_id.find(stable);
    ASSERT_NE(found, by_stable_id.end());
    const Advisory& a = *found->second;
    const std::string file_stem = file.stem().string();
    const bool ghsa = file_stem.starts_with("GHSA-");
    if (a.id.starts_with("CVE-")) {
      EXPECT_NE(text.find(a.id), std::string::npos);
      ASSERT_FALSE(a.aliases.empty());
      EXPECT_EQ(a.aliases[0], stable);
      EXPECT_EQ(a.aliases.size(), ghsa ? 2u : 1u);
    } else {
      EXPECT_EQ(a.id, stable);
      EXPECT_EQ(a.aliases.size(), ghsa ? 1u : 0u);
    }
    if (ghsa) {
      EXPECT_EQ(a.aliases.back(), file_stem);
    }
    EXPECT_EQ(a.feed, "friendsofphp");
    EXPECT_FALSE(a.summary.empty());
    ASSERT_EQ(a.references.size(), 1u);
    EXPECT_TRUE(a.references[0].url.starts_with("http")) << a.references[0].url;
    ASSERT_EQ(a.affected.size(), 1u);
    const Affected& af = a.affected[0];
    EXPECT_EQ(af.ecosystem, "Packagist");
    EXPECT_EQ(af.name, want.package);
    EXPECT_EQ(rel.substr(0, rel.rfind('/')), want.package);
    EXPECT_EQ(af.native_ranges.size(), want.branches);
    EXPECT_EQ(af.ranges.size(), want.branches - want.strict_lower);
    EXPECT_EQ(af.fix_status, want.every_branch_bounded ? FixStatus::fixed : FixStatus::unfixed);
    for (const auto& r : af.ranges) {
      ASSERT_FALSE(r.events.empty());
      EXPECT_EQ(r.events[0].kind, RangeEvent::Kind::introduced);
    }
    branches += af.native_ranges.size();
    ecosystem_ranges += af.ranges.size();
    strict += want.strict_lower;
  }
  EXPECT_EQ(branches, 2537u);  // the MANIFEST's count
  EXPECT_EQ(strict, 3u);       // the MANIFEST's count of '>' bounds
  EXPECT_EQ(ecosystem_ranges, branches - strict);
}

TEST(FriendsOfPhp, SymfonyHttpKernelAdvisoryFieldByField) {
  auto path = test_data("friendsofphp/symfony/http-kernel/CVE-2019-18887.yaml");
  auto a = parse_friendsofphp_advisory(slurp(path), "symfony/http-kernel/CVE-2019-18887.yaml");
  ASSERT_OK(a);
  EXPECT_EQ(a->id, "CVE-2019-18887");
  EXPECT_THAT(a->aliases, ElementsAre("FRIENDSOFPHP-symfony/http-kernel/CVE-2019-18887"));
  EXPECT_EQ(a->feed, "friendsofphp");
  EXPECT_EQ(a->summary, "CVE-2019-18887: Use constant time comparison in UriSigner");
  ASSERT_EQ(a->references.size(), 1u);
  EXPECT_EQ(a->references[0].type, "ADVISORY");
  EXPECT_EQ(a->references[0].url, "https://symfony.com/cve-2019-18887");
  ASSERT_EQ(a->affected.size(), 1u);
  const auto& af = a->affected[0];
  EXPECT_EQ(af.ecosystem, "Packagist");
  EXPECT_EQ(af.name, "symfony/http-kernel");
  ASSERT_EQ(af.native_ranges.size(), 16u);
  EXPECT_EQ(af.native_ranges[0], ">=2.2.0,<2.3.0");
  EXPECT_EQ(af.native_ranges[6], ">=2.8.0,<2.8.52");
  EXPECT_EQ(af.native_ranges[15], ">=4.3.0,<4.3.8");
  ASSERT_EQ(af.ranges.size(), 16u);
  const auto& r = af.ranges[6];
  EXPECT_EQ(r.type, Range::Type::ecosystem);
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[0].kind, RangeEvent::Kind::introduced);
  EXPECT_EQ(r.events[0].version, "2.8.0");
  EXPECT_EQ(r.events[1].kind, RangeEvent::Kind::fixed);
  EXPECT_EQ(r.events[1].version, "2.8.52");
  EXPECT_EQ(af.fix_status, FixStatus::fixed);
  EXPECT_TRUE(af.versions.empty());
}

TEST(FriendsOfPhp, AdvisoryWithoutCveGetsTheStableId) {
  auto a = parse_friendsofphp_advisory(
      slurp(test_data("friendsofphp/illuminate/database/2014-05-20.yaml")),
      "illuminate/database/2014-05-20.yaml");
  ASSERT_OK(a);
  EXPECT_EQ(a->id, "FRIENDSOFPHP-illuminate/database/2014-05-20");
  EXPECT_TRUE(a->aliases.empty());
  EXPECT_EQ(a->summary, "Risk of mass-assignment vulnerabilities");
  ASSERT_EQ(a->affected.size(), 1u);
  EXPECT_EQ(a->affected[0].name, "illuminate/database");
  EXPECT_THAT(a->affected[0].native_ranges, ElementsAre(">=4.0.0,<4.0.99", ">=4.1.0,<4.1.29"));

  // No "cve" key at all.
  auto z = parse_friendsofphp_advisory(
      slurp(test_data("friendsofphp/zendframework/zend-diactoros/ZF2018-01.yaml")),
      "security-advisories-master/zendframework/zend-diactoros/ZF2018-01.yaml");
  ASSERT_OK(z);
  EXPECT_EQ(z->id, "FRIENDSOFPHP-zendframework/zend-diactoros/ZF2018-01");
}

TEST(FriendsOfPhp, FileNamedForAGitHubAdvisoryAddsItAsAlias) {
  auto a = parse_friendsofphp_advisory(
      slurp(test_data("friendsofphp/spomky-labs/otphp/GHSA-2jx3-65f3-xr8r.yaml")),
      "spomky-labs/otphp/GHSA-2jx3-65f3-xr8r.yaml");
  ASSERT_OK(a);
  EXPECT_EQ(a->affected[0].name, "spomky-labs/otphp");
  EXPECT_EQ(a->aliases.back(), "GHSA-2jx3-65f3-xr8r");
  auto b = parse_friendsofphp_advisory(yaml_with("  1.x:\n    versions: ['<1.0']\n"),
                                       "acme/widget/GHSA-2jx3-65f3-xr8.yaml");
  ASSERT_OK(b);
  EXPECT_TRUE(b->aliases.empty());
}

TEST(FriendsOfPhp, StrictLowerBoundKeepsOnlyTheNativeRange) {
  auto a = parse_friendsofphp_advisory(
      slurp(test_data("friendsofphp/silverstripe/framework/SS-2016-003-1.yaml")),
      "silverstripe/framework/SS-2016-003-1.yaml");
  ASSERT_OK(a);
  const auto& af = a->affected[0];
  EXPECT_THAT(af.native_ranges, ElementsAre(">=3.1.0,<3.1.17", ">=3.2.0,<3.2.2", ">3.2,<3.3.0"));
  ASSERT_EQ(af.ranges.size(), 2u);
  EXPECT_EQ(af.ranges[1].events[1].version, "3.2.2");
  EXPECT_EQ(af.fix_status, FixStatus::fixed);
}

TEST(FriendsOfPhp, InclusiveUpperBoundIsLastAffected) {
  auto a = parse_friendsofphp_advisory(
      slurp(test_data("friendsofphp/illuminate/database/CVE-2020-24940.yaml")),
      "illuminate/database/CVE-2020-24940.yaml");
  ASSERT_OK(a);
  const auto& r = a->affected[0].ranges.at(0);
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[0].version, "5.5.0");
  EXPECT_EQ(r.events[1].kind, RangeEvent::Kind::last_affected);
  EXPECT_EQ(r.events[1].version, "5.5.44");
}

TEST(FriendsOfPhp, UpperBoundOnlyStartsAtZero) {
  auto a = parse_friendsofphp_advisory(
      slurp(test_data("friendsofphp/erusev/parsedown/CVE-2019-10905.yaml")),
      "erusev/parsedown/CVE-2019-10905.yaml");
  ASSERT_OK(a);
  const auto& af = a->affected[0];
  EXPECT_THAT(af.native_ranges, ElementsAre("<1.7.2"));
  ASSERT_EQ(af.ranges.size(), 1u);
  ASSERT_EQ(af.ranges[0].events.size(), 2u);
  EXPECT_EQ(af.ranges[0].events[0].version, "0");
  EXPECT_EQ(af.ranges[0].events[1].kind, RangeEvent::Kind::fixed);
  EXPECT_EQ(af.ranges[0].events[1].version, "1.7.2");
}

TEST(FriendsOfPhp, BranchWithoutUpperBoundIsUnfixed) {
  auto a = parse_friendsofphp_advisory(yaml_with("  1.x:\n    time: ~\n    versions: ['>=1.0.0', "
                                                 "'<1.2.0']\n  2.x:\n    time: ~\n    versions: "
                                                 "['>=2.0.0']\n"),
                                       "acme/widget/2024-01-01.yaml");
  ASSERT_OK(a);
  const auto& af = a->affected[0];
  EXPECT_EQ(af.fix_status, FixStatus::unfixed);
  ASSERT_EQ(af.ranges.size(), 2u);
  ASSERT_EQ(af.ranges[1].events.size(), 1u);
  EXPECT_EQ(af.ranges[1].events[0].version, "2.0.0");
}

TEST(FriendsOfPhp, OtherOperatorsKeepOnlyTheNativeRange) {
  auto a = parse_friendsofphp_advisory(
      yaml_with(
          "  1.x:\n    versions: ['^1.2']\n  2.x:\n    versions: ['>=2.0', '<2.1', '<2.2']\n"),
      "acme/widget/x.yaml");
  ASSERT_OK(a);
  EXPECT_THAT(a->affected[0].native_ranges, ElementsAre("^1.2", ">=2.0,<2.1,<2.2"));
  EXPECT_TRUE(a->affected[0].ranges.empty());
}

TEST(FriendsOfPhp, PackageNameFallsBackToThePath) {
  std::string y = yaml_with("  1.x:\n    versions: ['<1.0']\n");
  y.replace(y.find("composer://acme/widget"), 22, "composer://not a name");
  auto a = parse_friendsofphp_advisory(y, "acme/gadget/2024-01-01.yaml");
  ASSERT_OK(a);
  EXPECT_EQ(a->affected[0].name, "acme/gadget");
  EXPECT_ERRC(parse_friendsofphp_advisory(y, "2024-01-01.yaml"), Errc::invalid_argument);
}

TEST(FriendsOfPhp, WrongShapeIsInvalidArgument) {
  const char* path = "acme/widget/a.yaml";
  EXPECT_ERRC(parse_friendsofphp_advisory("- a\n- b\n", path), Errc::invalid_argument);
  EXPECT_ERRC(parse_friendsofphp_advisory("title: x\nreference: composer://a/b\n", path),
              Errc::invalid_argument);
  EXPECT_ERRC(parse_friendsofphp_advisory(yaml_with("  1.x:\n    versions: '<1.0'\n"), path),
              Errc::invalid_argument);
  EXPECT_ERRC(parse_friendsofphp_advisory(yaml_with("  1.x:\n    versions: [['<1.0']]\n"), path),
              Errc::invalid_argument);
  EXPECT_ERRC(parse_friendsofphp_advisory(yaml_with("  1.x:\n    versions: []\n"), path),
              Errc::invalid_argument);
  EXPECT_ERRC(parse_friendsofphp_advisory(yaml_with("  1.x:\n    versions: ['<1|>2']\n"), path),
              Errc::invalid_argument);
  std::string bad_cve = yaml_with("  1.x:\n    versions: ['<1.0']\n");
  bad_cve.replace(bad_cve.find("cve: ~"), 6, "cve: CVE-2024");
  EXPECT_ERRC(parse_friendsofphp_advisory(bad_cve, path), Errc::invalid_argument);
}

TEST(FriendsOfPhp, NonDefaultComposerRepositoryIsKeptAsReference) {
  std::string y = yaml_with("  1.x:\n    versions: ['<1.0']\n");
  auto drupal = parse_friendsofphp_advisory(
      y + "composer-repository: https://packages.drupal.org/8\n", "acme/widget/a.yaml");
  ASSERT_OK(drupal);
  ASSERT_EQ(drupal->references.size(), 2u);
  EXPECT_EQ(drupal->references[1].type, "PACKAGE");
  EXPECT_EQ(drupal->references[1].url, "https://packages.drupal.org/8");
  for (std::string none : {"false", "https://packagist.org"}) {
    auto a = parse_friendsofphp_advisory(y + "composer-repository: " + none + "\n",
                                         "acme/widget/a.yaml");
    ASSERT_OK(a);
    EXPECT_EQ(a->references.size(), 1u) << none;
  }
}

TEST(FriendsOfPhp, DanglingSymlinkInTheTreeIsPassedOver) {
  auto dir = temp_dir("symlink");
  std::filesystem::create_directories(dir / "acme/widget");
  std::ofstream(dir / "acme/widget/a.yaml") << yaml_with("  1.x:\n    versions: ['<1.0']\n");
  std::filesystem::create_symlink(dir / "nowhere", dir / "acme/widget/b.yaml");
  std::vector<Advisory> got;
  auto s = read_all(dir, got);
  ASSERT_OK(s);
  EXPECT_EQ(s->advisories, 1u);
}

TEST(FriendsOfPhp, TooManyBranchesIsRefused) {
  std::string branches;
  for (int i = 0; i < 300; ++i) branches += "  b" + std::to_string(i) + ": {versions: ['<1.0']}\n";
  EXPECT_ERRC(parse_friendsofphp_advisory(yaml_with(branches), "acme/widget/a.yaml"),
              Errc::invalid_argument);
}

TEST(FriendsOfPhp, MalformedYamlIsDataLossNamingTheFile) {
  auto r = parse_friendsofphp_advisory("title: [unclosed\nbranches: {", "acme/widget/bad.yaml");
  EXPECT_ERRC(r, Errc::data_loss);
  EXPECT_THAT(r.error().message, HasSubstr("acme/widget/bad.yaml"));

  auto dir = temp_dir("badyaml");
  std::filesystem::create_directories(dir / "acme/widget");
  std::ofstream(dir / "acme/widget/a.yaml") << yaml_with("  1.x:\n    versions: ['<1.0']\n");
  std::ofstream(dir / "acme/widget/b.yaml") << "title: x\nbranches: {1.x: {versions: ['<1.0'\n";
  std::vector<Advisory> got;
  auto s = read_all(dir, got);
  EXPECT_ERRC(s, Errc::data_loss);
  EXPECT_THAT(s.error().message, HasSubstr("acme/widget/b.yaml"));
}

TEST(FriendsOfPhp, DeepNestingIsRefusedWithoutRecursing) {
  EXPECT_ERRC(parse_friendsofphp_advisory(std::string(100000, '['), "a/b/c.yaml"),
              Errc::invalid_argument);
  std::string block;
  for (int i = 0; i < 10000; ++i) block += "- ";
  EXPECT_ERRC(parse_friendsofphp_advisory(block + "x\n", "a/b/c.yaml"), Errc::invalid_argument);
  EXPECT_ERRC(
      parse_friendsofphp_advisory(std::string(kMaxFriendsOfPhpFileBytes + 1, ' '), "a/b/c.yaml"),
      Errc::resource_exhausted);
}

TEST(FriendsOfPhp, SkipsAndCountsWrongShapeButKeepsTheRest) {
  auto dir = temp_dir("shape");
  std::filesystem::create_directories(dir / "acme/widget");
  std::filesystem::create_directories(dir / ".github/workflows");
  std::ofstream(dir / "acme/widget/a.yaml") << yaml_with("  1.x:\n    versions: ['<1.0']\n");
  std::ofstream(dir / "acme/widget/b.yaml") << "title: no branches\n";
  std::ofstream(dir / ".github/workflows/ci.yaml") << "on: [push]\n";
  std::ofstream(dir / "README.md") << "readme\n";
  std::vector<Advisory> got;
  auto s = read_all(dir, got);
  ASSERT_OK(s);
  EXPECT_EQ(s->advisories, 1u);
  EXPECT_EQ(s->skipped, 1u);
  ASSERT_EQ(s->skipped_examples.size(), 1u);
  EXPECT_THAT(s->skipped_examples[0], HasSubstr("acme/widget/b.yaml"));
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].id, "FRIENDSOFPHP-acme/widget/a");
}

TEST(FriendsOfPhp, ReadsGitHubArchiveZip) {
  auto dir = temp_dir("zip");
  auto members = github_layout();
  write_zip(dir / "security-advisories-master.zip", members);
  std::vector<Advisory> from_zip, from_tree;
  std::uint64_t progress = 0;
  FriendsOfPhpReadOptions options;
  options.progress = [&](std::uint64_t done, std::uint64_t) { progress = done; };
  auto s = read_friendsofphp(dir / "security-advisories-master.zip", options,
                             [&](Advisory&& a) -> Result<> {
                               from_zip.push_back(std::move(a));
                               return {};
                             });
  ASSERT_OK(s);
  EXPECT_EQ(s->advisories, yaml_files(test_data("friendsofphp")).size());
  EXPECT_EQ(s->skipped, 0u);
  EXPECT_GT(progress, 0u);
  ASSERT_OK(read_all(test_data("friendsofphp"), from_tree));
  std::map<std::string, const Advisory*> by_stable_id;
  for (const auto& a : from_tree) by_stable_id[stable_id(a)] = &a;
  ASSERT_EQ(by_stable_id.size(), from_tree.size());
  ASSERT_EQ(from_zip.size(), from_tree.size());
  for (const auto& a : from_zip) {
    auto it = by_stable_id.find(stable_id(a));
    ASSERT_NE(it, by_stable_id.end()) << stable_id(a);
    EXPECT_EQ(a.id, it->second->id);
    EXPECT_EQ(a.summary, it->second->summary);
    EXPECT_EQ(a.affected[0].name, it->second->affected[0].name);
    EXPECT_EQ(a.affected[0].native_ranges, it->second->affected[0].native_ranges);
  }
}

TEST(FriendsOfPhp, ReadsZipWithoutTopFolder) {
  auto dir = temp_dir("flatzip");
  write_zip(dir / "a.zip", {{"acme/widget/a.yaml", yaml_with("  1.x:\n    versions: ['<1.0']\n")},
                            {"README.md", "x"}});
  std::vector<Advisory> got;
  auto s = read_all(dir / "a.zip", got);
  ASSERT_OK(s);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].id, "FRIENDSOFPHP-acme/widget/a");
}

TEST(FriendsOfPhp, CorruptZipMemberIsDataLoss) {
  auto dir = temp_dir("corrupt");
  write_zip(dir / "all.zip", github_layout());
  std::string bytes = slurp(dir / "all.zip");
  // Flip bytes inside one member's compressed data, well past its local header.
  const std::string name = "security-advisories-master/symfony/http-kernel/CVE-2019-18887.yaml";
  std::size_t at = bytes.find(name);
  ASSERT_NE(at, std::string::npos);
  for (std::size_t i = at + name.size() + 80; i < at + name.size() + 120; ++i) bytes[i] ^= 0x5a;
  std::ofstream(dir / "bad.zip", std::ios::binary) << bytes;
  std::vector<Advisory> got;
  auto s = read_all(dir / "bad.zip", got);
  EXPECT_ERRC(s, Errc::data_loss);
  EXPECT_THAT(s.error().message, HasSubstr("CVE-2019-18887"));
}

TEST(FriendsOfPhp, TruncatedZipIsDataLoss) {
  auto dir = temp_dir("cut");
  write_zip(dir / "all.zip", github_layout());
  std::string bytes = slurp(dir / "all.zip");
  std::ofstream(dir / "cut.zip", std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  std::vector<Advisory> got;
  EXPECT_ERRC(read_all(dir / "cut.zip", got), Errc::data_loss);
}

TEST(FriendsOfPhp, SinkErrorStopsTheRead) {
  int calls = 0;
  auto s = read_friendsofphp(test_data("friendsofphp"), {}, [&](Advisory&&) -> Result<> {
    if (++calls == 3) return fail(Errc::resource_exhausted, "disk full");
    return {};
  });
  EXPECT_ERRC(s, Errc::resource_exhausted);
  EXPECT_EQ(calls, 3);
}

}  // namespace
}  // namespace patchparty::feeds
