#include "collectors/inventory/requirements_txt.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "tests/support/test_data.h"
#include "tests/unit/inventory/lockfile_fixtures.h"

namespace patchparty::inventory {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using testing::expect_error;
using ::testing::HasSubstr;
using testing::test_data;
using Pairs = testing::OrderedPairs;

fs::path fixture(const std::string& name) {
  return test_data("lockfiles/osv-detector-fixtures/pip/" + name);
}

void write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

struct Expected {
  Pairs packages;
  std::size_t not_pinned = 0;
};

// Every fixture, read as the top-level file with its includes followed.
TEST(RequirementsTxt, ReadsEveryDetectorFixture) {
  const std::map<std::string, Expected> expected{
      {"cyclic-r-complex-1.txt",
       {{{"cyclic-r-complex", "1"}, {"cyclic-r-complex", "2"}, {"cyclic-r-complex", "3"}}}},
      {"cyclic-r-complex-2.txt",
       {{{"cyclic-r-complex", "2"}, {"cyclic-r-complex", "1"}, {"cyclic-r-complex", "3"}}}},
      {"cyclic-r-complex-3.txt",
       {{{"cyclic-r-complex", "3"}, {"cyclic-r-complex", "1"}, {"cyclic-r-complex", "2"}}}},
      {"cyclic-r-self.txt", {{{"requests", "1.2.3"}, {"pandas", "0.23.4"}}}},
      {"duplicate-r-base.txt", {{{"django", "0.1.0"}}}},
      // base is included twice (directly and through test) and read once.
      {"duplicate-r-dev.txt",
       {{{"pandas", "0.23.4"},
         {"requests", "1.2.3"},
         {"django", "0.1.0"},
         {"requests", "1.2.3"},
         {"unittest", "1.0.0"}}}},
      {"duplicate-r-test.txt",
       {{{"requests", "1.2.3"}, {"unittest", "1.0.0"}, {"django", "0.1.0"}}}},
      {"empty.txt", {}},
      {"file-format-example.txt", {{{"docopt", "0.6.1"}, {"django", "2.2.24"}}, 10}},
      // pip strips every backslash at the end of a continued line: "4.5\\" + ".6" is 4.5.6, and
      // the second baz is inside the comment the first one's line continues into.
      {"line-continuation.txt",
       {{{"foo", "1.2.3"}, {"bar", "4.5.6"}, {"baz", "7.8.9"}, {"qux", "10.11.12"}}}},
      {"multiple-packages-constrained.txt",
       {{{"astroid", "2.5.1"},
         {"beautifulsoup4", "4.9.3"},
         {"boto3", "1.17.19"},
         {"botocore", "1.20.19"},
         {"certifi", "2020.12.5"},
         {"chardet", "4.0.0"},
         {"circus", "0.17.1"},
         {"click", "7.1.2"},
         {"django-debug-toolbar", "3.2.1"},
         {"django-filter", "2.4.0"},
         {"django-nose", "1.4.7"},
         {"django-storages", "1.11.1"},
         {"django", "2.2.24"}}}},
      {"multiple-packages-mixed.txt",
       {{{"pandas", "0.23.4"}, {"numpy", "1.16.0"}, {"scikit-learn", "0.20.1"}}, 5}},
      // Names stay as written; correlation compares PyPI names as PEP 503 says.
      {"non-normalized-names.txt",
       {{{"zope.interface", "5.4.0"}, {"Pillow", "1.0.0"}, {"Twisted", "20.3.0"}}}},
      {"one-package-constrained.txt", {{{"django", "2.2.24"}}}},
      {"one-package-unconstrained.txt", {{}, 1}},
      {"only-comments.txt", {}},
      {"other-file.txt", {{{"django", "2.2.24"}}}},
      {"with-added-support.txt", {{{"twisted", "20.3.0"}}}},
      {"with-hash.txt", {{{"boto3", "1.26.121"}, {"foo", "1.0.0"}}}},
      {"with-multiple-r-options.txt",
       {{{"requests", "1.2.3"},
         {"pandas", "0.23.4"},
         {"django", "2.2.24"},
         {"pandas", "0.23.4"},
         {"numpy", "1.16.0"},
         {"scikit-learn", "0.20.1"}},
        5}},
      {"with-per-requirement-options.txt",
       {{{"boto3", "1.26.121"}, {"foo", "1.0.0"}, {"FooProject", "1.2"}}, 1}},
  };
  std::size_t files = 0;
  for (const auto& entry :
       fs::directory_iterator(test_data("lockfiles/osv-detector-fixtures/pip"))) {
    const std::string name = entry.path().filename().string();
    SCOPED_TRACE(name);
    ++files;
    RequirementsTxt source(entry.path(), "app");
    auto r = source.scan();
    if (name == "with-bad-r-option.txt") {
      expect_error(r, Errc::not_found, "with-bad-r-option.txt:3: -r ./does-not-exist.txt");
      continue;
    }
    ASSERT_OK(r);
    auto it = expected.find(name);
    ASSERT_NE(it, expected.end()) << "no expectation for " << name;
    EXPECT_EQ(testing::ordered_pairs(*r), it->second.packages);
    EXPECT_EQ(source.not_pinned().size(), it->second.not_pinned);
  }
  EXPECT_EQ(files, expected.size() + 1);
}

TEST(RequirementsTxt, SaysWhatIsNotPinnedAndWhere) {
  RequirementsTxt source(fixture("file-format-example.txt"), "app");
  auto r = source.scan();
  ASSERT_OK(r);
  const std::string file = fixture("file-format-example.txt").string();
  EXPECT_THAT(source.not_pinned(),
              ElementsAre(file + ":3: pytest", file + ":4: pytest-cov", file + ":5: beautifulsoup4",
                          file + ":10: keyring >= 4.1.1", file + ":11: coverage != 3.5",
                          file + ":12: Mopidy-Dirble ~= 1.1",
                          file + ":18: ./downloads/numpy-1.9.2-cp34-none-win32.whl",
                          file + ":19: http://wxpython.org/Phoenix/snapshot-builds/"
                                 "wxPython_Phoenix-3.0.3.dev1820+49a8884-cp34-none-win_amd64.whl",
                          file + ":23: rejected", file + ":24: green"));
  // Packages carry the file they were pinned in.
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].location, file);
  // Include paths are normalised ("a/../b" is "b").
  EXPECT_EQ((*r)[1].location, fixture("other-file.txt").lexically_normal().string());
  const Package& docopt = (*r)[0];
  EXPECT_EQ(docopt.ecosystem, "PyPI");
  EXPECT_EQ(docopt.origin, "requirements");
  EXPECT_EQ(docopt.project, "app");
  EXPECT_EQ(docopt.source_name, "docopt");
  EXPECT_EQ(docopt.source_version, "0.6.1");
  EXPECT_FALSE(docopt.dev);

  RequirementsTxt options(fixture("with-per-requirement-options.txt"), "app");
  ASSERT_OK(options.scan());
  EXPECT_THAT(
      options.not_pinned(),
      ElementsAre(fixture("with-per-requirement-options.txt").string() + ":12: BarProject >= 1.2"));
}

TEST(RequirementsTxt, PinsOnlyOneExactClause) {
  std::vector<RequirementsInclude> includes;
  auto r = parse_requirements_txt(R"(
a==1.0
b === 1.0-weird+local
c[security,socks] == 2.0 ; python_version >= "3.8"
d (==3.0)
e==4.0;sys_platform=="linux"
f == 5.0 --hash=sha256:00 --hash=sha256:11
g==1.*
h>=1.0,==1.2
i @ https://example.invalid/i-1.0.tar.gz
j==1.0 k
git+https://github.com/x/y.git#egg=y
-e ./local
--editable=git+https://github.com/x/z.git#egg=z
-c constraints.txt
--constraint constraints.txt
-i https://example.invalid/simple
--extra-index-url https://example.invalid/simple
--require-hashes
-r base.txt
--requirement=dev.txt
-rtest.txt
l==1.0#not-a-comment
m==2.0 # a comment
   # an indented comment \
n==3.0
)",
                                  "app", "reqs.txt", &includes);
  ASSERT_OK(r);
  EXPECT_EQ(testing::ordered_pairs(r->packages), (Pairs{{"a", "1.0"},
                                                        {"b", "1.0-weird+local"},
                                                        {"c", "2.0"},
                                                        {"d", "3.0"},
                                                        {"e", "4.0"},
                                                        {"f", "5.0"},
                                                        {"m", "2.0"},
                                                        {"n", "3.0"}}));
  EXPECT_THAT(
      r->not_pinned,
      ElementsAre("reqs.txt:8: g==1.*", "reqs.txt:9: h>=1.0,==1.2",
                  "reqs.txt:10: i @ https://example.invalid/i-1.0.tar.gz", "reqs.txt:11: j==1.0 k",
                  "reqs.txt:12: git+https://github.com/x/y.git#egg=y", "reqs.txt:13: -e ./local",
                  "reqs.txt:14: --editable=git+https://github.com/x/z.git#egg=z",
                  "reqs.txt:23: l==1.0#not-a-comment"));
  ASSERT_EQ(includes.size(), 3u);
  EXPECT_EQ(includes[0].path, "base.txt");
  EXPECT_EQ(includes[0].line, 20u);
  EXPECT_EQ(includes[1].path, "dev.txt");
  EXPECT_EQ(includes[2].path, "test.txt");
  EXPECT_EQ(r->packages.front().location, "reqs.txt");

  // Without an include list, "-r" lines are reported as not followed.
  r = parse_requirements_txt("-r base.txt\n", "app");
  ASSERT_OK(r);
  EXPECT_THAT(r->not_pinned, ElementsAre("requirements.txt:1: -r base.txt (include not followed)"));
}

TEST(RequirementsTxt, JoinsLinesTheWayPipDoes) {
  auto r = parse_requirements_txt(
      "\xEF\xBB\xBF"
      "a==\\\r\n1.0\r\nb==2.0\rc==3.0\fd==\\\n# comment\ne==5.0\\",
      "app");
  ASSERT_OK(r);
  EXPECT_EQ(testing::ordered_pairs(r->packages),
            (Pairs{{"a", "1.0"}, {"b", "2.0"}, {"c", "3.0"}, {"e", "5.0"}}));
  // d's line continues into the comment, which leaves "d==": no version.
  EXPECT_THAT(r->not_pinned, ElementsAre("requirements.txt:5: d=="));
}

TEST(RequirementsTxt, ControlCharactersAreDataLoss) {
  expect_error(parse_requirements_txt(std::string("a==1.0\nb==\0", 11), "app"), Errc::data_loss,
               "requirements.txt:2: control character");
  expect_error(parse_requirements_txt("a==1.0\x7f\n", "app"), Errc::data_loss,
               "requirements.txt:1: control character");
  EXPECT_OK(parse_requirements_txt("a==1.0\t# tab\n", "app"));
}

TEST(RequirementsTxt, FollowsIncludesOnlyInsideTheTree) {
  const fs::path dir = testing::temp_dir("tree");
  write(dir / "outside.txt", "outside==1.0\n");
  write(dir / "app/requirements.txt",
        "-r sub/dev.txt\n-r ../outside.txt\n-r https://example.invalid/r.txt\n-c c.txt\n"
        "top==1.0\n");
  write(dir / "app/sub/dev.txt", "-r ../base.txt\n-r /etc/passwd\ndev==2.0\n");
  write(dir / "app/base.txt", "base==3.0\n");
  write(dir / "app/c.txt", "constrained==4.0\n");
  fs::create_directory_symlink(dir, dir / "app/escape");
  write(dir / "app/link.txt", "-r escape/outside.txt\n");

  RequirementsTxt source(dir / "app/requirements.txt", "app");
  auto r = source.scan();
  ASSERT_OK(r);
  EXPECT_EQ(testing::ordered_pairs(*r), (Pairs{{"top", "1.0"}, {"dev", "2.0"}, {"base", "3.0"}}));
  EXPECT_EQ((*r)[1].location, (dir / "app/sub/dev.txt").string());
  EXPECT_EQ((*r)[2].location, (dir / "app/base.txt").string());
  const std::string top = (dir / "app/requirements.txt").string();
  const std::string dev = (dir / "app/sub/dev.txt").string();
  EXPECT_THAT(
      source.not_pinned(),
      ElementsAre(
          top + ":2: -r ../outside.txt (outside " + (dir / "app").string() + ", not followed)",
          top + ":3: -r https://example.invalid/r.txt (URL, not followed)",
          dev + ":2: -r /etc/passwd (outside " + (dir / "app").string() + ", not followed)"));

  // A symbolic link out of the tree is resolved before the check.
  RequirementsTxt link(dir / "app/link.txt", "app");
  r = link.scan();
  ASSERT_OK(r);
  EXPECT_TRUE(r->empty());
  ASSERT_EQ(link.not_pinned().size(), 1u);
  EXPECT_THAT(link.not_pinned()[0], HasSubstr("-r escape/outside.txt (outside"));
  fs::remove_all(dir);
}

TEST(RequirementsTxt, IncludesAreBoundedInDepthAndBytes) {
  const fs::path dir = testing::temp_dir("deep");
  for (int i = 0; i < 12; ++i)
    write(dir / ("r" + std::to_string(i) + ".txt"),
          "-r r" + std::to_string(i + 1) + ".txt\np" + std::to_string(i) + "==1.0\n");
  RequirementsTxt source(dir / "r0.txt", "app");
  auto r = source.scan();
  ASSERT_OK(r);
  EXPECT_EQ(r->size(), 9u);  // r0 and 8 includes below it
  ASSERT_EQ(source.not_pinned().size(), 1u);
  EXPECT_THAT(source.not_pinned()[0], HasSubstr("r8.txt:1: -r r9.txt (more than 8 includes deep"));

  // The byte limit covers the files together.
  const auto one = fs::file_size(dir / "r0.txt");
  expect_error(RequirementsTxt(dir / "r0.txt", "app", one + 5).scan(), Errc::resource_exhausted,
               "r0.txt:1: -r r1.txt");
  write(dir / "solo.txt", "solo==1.0\n");
  EXPECT_OK(RequirementsTxt(dir / "solo.txt", "app", fs::file_size(dir / "solo.txt")).scan());
  // The last file's include is missing: pip refuses the file, and so does the reader.
  expect_error(RequirementsTxt(dir / "r11.txt", "app").scan(), Errc::not_found,
               "r11.txt:1: -r r12.txt");
  fs::remove_all(dir);
}

TEST(RequirementsTxt, OversizedFileIsRefusedWithoutReadingIt) {
  const fs::path dir = testing::temp_dir("big");
  const fs::path file = dir / "requirements.txt";
  testing::write_big_lockfile(
      file, 70u << 20, "", [](std::size_t i) { return "p" + std::to_string(i) + "==1.0\n"; }, "");
  testing::expect_refused_unread([&] { return RequirementsTxt(file, "big").scan(); });
  fs::remove_all(dir);
}

TEST(RequirementsTxt, MissingFileIsNotFound) {
  EXPECT_ERRC(RequirementsTxt("/nonexistent/patchparty/requirements.txt", "p").scan(),
              Errc::not_found);
}

TEST(RequirementsTxt, KindAndName) {
  EXPECT_EQ(RequirementsTxt("requirements.txt", "p").name(), "requirements");
  const InventoryKind kind = requirements_inventory_kind();
  EXPECT_EQ(kind.name, "requirements");
  EXPECT_EQ(kind.lockfile_names, (std::vector<std::string>{"requirements.txt"}));
  EXPECT_EQ(kind.lockfile_ecosystem, "PyPI");
  auto source = kind.open_lockfile(fixture("with-hash.txt"), "app", kDefaultMaxFileBytes);
  ASSERT_NE(source, nullptr);
  auto r = source->scan();
  ASSERT_OK(r);
  EXPECT_EQ(r->size(), 2u);
}

}  // namespace
}  // namespace patchparty::inventory
