// Every file of the shared version-vectors folder, checked with the scheme of its ecosystem.
// A file whose ecosystem has no scheme yet is reported as skipped with the reason, not ignored.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "core/versions/apk_version.h"
#include "core/versions/composer_version.h"
#include "core/versions/dpkg_version.h"
#include "core/versions/maven_version.h"
#include "core/versions/pep440_version.h"
#include "core/versions/rpm_version.h"
#include "core/versions/rubygems_version.h"
#include "core/versions/semver_version.h"
#include "tests/support/test_data.h"
#include "tests/unit/versions/version_vectors.h"

namespace patchparty::versions {
namespace {

using testing::read_vectors;
using testing::read_version_list;
using testing::run_vectors;

enum class Kind { ordering, valid_list, invalid_list };

struct Row {
  std::string_view prefix;  // file name up to "-versions"
  Kind kind = Kind::ordering;
  const VersionScheme& (*scheme)() = nullptr;
  std::string_view skip_reason;  // why there is no scheme, when scheme is null
  // Some hand-written files also order strings their ecosystem rejects (the Alpine file says so
  // in its comments; "1beta" is no Gem::Version; node-semver refuses numbers past 2^53): the
  // scheme rejects those with invalid_argument rather than guessing an order. PyPI's files hold
  // legacy (non-PEP 440) versions that pip refuses too.
  bool may_reject = false;
  // Set when the file's vectors disagree with the ecosystem on purpose and the scheme's own test,
  // which lists each such vector, checks the file instead.
  std::string_view checked_in;
};

// One row per ecosystem; wiring a new scheme is one line.
const Row kRows[] = {
    {"alpine-valid", Kind::valid_list, apk_scheme, {}, false},
    {"alpine-invalid", Kind::invalid_list, apk_scheme, {}, false},
    {"alpine", Kind::ordering, apk_scheme, {}, true},
    {"debian", Kind::ordering, dpkg_scheme, {}, false},
    {"redhat", Kind::ordering, rpm_scheme, {}, false},
    {"maven", Kind::ordering, maven_scheme, {}, false},
    {"rubygems", Kind::ordering, rubygems_scheme, {}, true},
    {"semver", Kind::ordering, semver_scheme, {}, true},
    {"packagist",
     Kind::ordering,
     composer_scheme,
     {},
     true,
     "made with PHP's version_compare, not Composer's order; composer_version_test.cpp checks "
     "it with its 8 divergent vectors listed"},
    {"pypi", Kind::ordering, pep440_scheme, {}, true},
    {"cran", Kind::ordering, nullptr, "no CRAN scheme: patchparty has no R inventory source"},
    {"hackage", Kind::ordering, nullptr, "no Hackage scheme: no Haskell inventory source"},
    {"nuget", Kind::ordering, nullptr, "no NuGet scheme: no .NET inventory source"},
    {"pub", Kind::ordering, nullptr, "no Pub scheme: no Dart inventory source"},
};

const Row* row_for(const std::string& file) {
  for (const Row& row : kRows)
    if (file.starts_with(std::string(row.prefix) + "-versions")) return &row;
  return nullptr;
}

std::vector<std::string> vector_files() {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(PP_TEST_DATA_DIR "/version-vectors"))
    if (entry.path().extension() == ".txt") files.push_back(entry.path().filename().string());
  std::sort(files.begin(), files.end());
  return files;
}

class VersionVectors : public ::testing::TestWithParam<std::string> {};

TEST_P(VersionVectors, OrderedAsTheEcosystemOrdersThem) {
  const std::string& file = GetParam();
  const Row* row = row_for(file);
  ASSERT_NE(row, nullptr) << file << ": no row in the table; add one";
  if (row->scheme == nullptr) {
    GTEST_SKIP() << file << ": " << row->skip_reason;
  }
  if (!row->checked_in.empty()) {
    GTEST_SKIP() << file << ": " << row->checked_in;
  }
  const VersionScheme& scheme = row->scheme();
  const auto path = testing::test_data("version-vectors/" + file);

  switch (row->kind) {
    case Kind::valid_list: {
      auto versions = read_version_list(path);
      int accepted = 0;
      for (const std::string& v : versions) {
        auto r = scheme.validate(v);
        EXPECT_TRUE(r.has_value()) << file << ": '" << v << "' rejected: " << r.error().to_string();
        accepted += r.has_value();
      }
      std::printf("[ vectors  ] %s: %d/%zu accepted\n", file.c_str(), accepted, versions.size());
      EXPECT_GT(versions.size(), 0u);
      break;
    }
    case Kind::invalid_list: {
      auto versions = read_version_list(path);
      int rejected = 0;
      for (const std::string& v : versions) {
        auto r = scheme.validate(v);
        EXPECT_FALSE(r.has_value()) << file << ": '" << v << "' accepted";
        if (!r) {
          EXPECT_EQ(r.error().code, Errc::invalid_argument);
          ++rejected;
        }
      }
      std::printf("[ vectors  ] %s: %d/%zu rejected\n", file.c_str(), rejected, versions.size());
      EXPECT_GT(versions.size(), 0u);
      break;
    }
    case Kind::ordering: {
      auto vectors = read_vectors(path);
      EXPECT_GT(vectors.size(), 0u);
      auto tally = run_vectors(scheme, vectors);
      testing::expect_no_failures(tally, file);
      if (!row->may_reject) {
        EXPECT_EQ(tally.rejected, 0) << file << ": valid versions rejected";
      }
      break;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Files, VersionVectors, ::testing::ValuesIn(vector_files()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param.substr(0, info.param.size() - 4);
                           std::replace_if(
                               name.begin(), name.end(),
                               [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
                               '_');
                           return name;
                         });

}  // namespace
}  // namespace patchparty::versions
