#include "collectors/inventory/cargo_lock.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <utility>

#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"
#include "tests/unit/inventory/lockfile_fixtures.h"

namespace patchparty::inventory {
namespace {

namespace fs = std::filesystem;
using testing::expect_error;
using testing::read_text;
using testing::test_data;
using Pairs = testing::PairSet;

constexpr const char* kFixtures = "lockfiles/osv-detector-fixtures/cargo/";

// Python's TOML reader over the whole file (tests/oracles/cargo_lock_oracle.py).
Pairs tomllib_oracle(const fs::path& file) {
  const fs::path dir = testing::temp_dir("cargo-oracle");
  auto r = testing::run(
      {"/usr/bin/python3", PP_SOURCE_DIR "/tests/oracles/cargo_lock_oracle.py", file.string()},
      dir);
  fs::remove_all(dir);
  EXPECT_EQ(r.code, 0) << r.err;
  Pairs out;
  for (const std::string& line : testing::output_lines(r.out)) {
    const auto tab = line.find('\t');
    out.emplace(line.substr(0, tab), line.substr(tab + 1));
  }
  return out;
}

TEST(CargoLock, MatchesTomllibOnEveryFixture) {
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(test_data(kFixtures))) {
    if (entry.path().extension() != ".lock") continue;
    SCOPED_TRACE(entry.path().string());
    auto packages = CargoLock(entry.path(), "rs").scan();
    ASSERT_OK(packages);
    EXPECT_EQ(testing::pair_set(*packages), tomllib_oracle(entry.path()));
    ++files;
  }
  EXPECT_EQ(files, 4u);
}

TEST(CargoLock, FixtureCountsAndSamples) {
  struct Case {
    const char* file;
    Pairs expected;
  };
  const Case cases[] = {
      {"empty.lock", {}},
      {"one-package.lock", {{"addr2line", "0.15.2"}}},
      {"two-packages.lock", {{"addr2line", "0.15.2"}, {"syn", "1.0.73"}}},
      // Build metadata stays as written.
      {"package-with-build-string.lock", {{"wasi", "0.10.2+wasi-snapshot-preview1"}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    const fs::path file = test_data(std::string(kFixtures) + c.file);
    auto packages = parse_cargo_lock(read_text(file), "rs", file.string());
    ASSERT_OK(packages);
    EXPECT_EQ(testing::pair_set(*packages), c.expected);
    for (const Package& p : *packages) {
      EXPECT_EQ(p.ecosystem, "crates.io");
      EXPECT_EQ(p.origin, "cargo");
      EXPECT_EQ(p.project, "rs");
      EXPECT_EQ(p.location, file.string());
      EXPECT_EQ(p.source_name, p.name);
      EXPECT_EQ(p.source_version, p.version);
      EXPECT_FALSE(p.dev);
    }
  }
}

TEST(CargoLock, NotTomlIsDataLossWithTheLine) {
  expect_error(parse_cargo_lock(read_text(test_data(std::string(kFixtures) + "not-toml.txt")), "rs",
                                "/srv/rs/Cargo.lock"),
               Errc::data_loss, "/srv/rs/Cargo.lock: invalid TOML at line 1");
}

TEST(CargoLock, WorkspaceMembersPathAndGitCratesAreSkipped) {
  auto r = parse_cargo_lock(R"(version = 4
[[package]]
name = "app"
version = "0.1.0"
dependencies = ["serde", "local", "forked"]

[[package]]
name = "local"
version = "0.2.0"

[[package]]
name = "forked"
version = "1.0.0"
source = "git+https://github.com/x/forked?rev=abc#abcdef"

[[package]]
name = "serde"
version = "1.0.200"
source = "sparse+https://index.crates.io/"

[[package]]
name = "libc"
version = "0.2.150"
source = "registry+https://github.com/rust-lang/crates.io-index"
)",
                            "rs");
  ASSERT_OK(r);
  EXPECT_EQ(testing::pair_set(*r), (Pairs{{"serde", "1.0.200"}, {"libc", "0.2.150"}}));
}

TEST(CargoLock, LockfileFormats) {
  // Format 1 keeps checksums in [metadata] and has no version key.
  auto r = parse_cargo_lock(
      "[[package]]\nname = \"a\"\nversion = \"1.0.0\"\nsource = \"registry+x\"\n\n[metadata]\n"
      "\"checksum a 1.0.0 (registry+x)\" = \"00\"\n",
      "rs");
  ASSERT_OK(r);
  EXPECT_EQ(r->size(), 1u);
  expect_error(parse_cargo_lock("version = 5\n", "rs"), Errc::failed_precondition,
               "Cargo.lock version 5 is not supported");
  expect_error(parse_cargo_lock("version = \"3\"\n", "rs"), Errc::invalid_argument,
               "\"version\" is not an integer");
}

TEST(CargoLock, WrongShapeIsInvalidArgument) {
  const std::pair<const char*, const char*> cases[] = {
      {"package = 3\n", "\"package\" is not an array of tables"},
      {"package = [1]\n", "package[0]: not a table"},
      {"[[package]]\nname = \"a\"\n", "package[0]: no \"name\" and \"version\" strings"},
      {"[[package]]\nname = \"a b\"\nversion = \"1\"\n", "not printable ASCII without spaces"},
      {"[[package]]\nname = \"a\"\nversion = \"1\\n\"\n", "not printable ASCII without spaces"},
      {"[[package]]\nname = \"a\"\nversion = \"1\"\nsource = 1\n", "\"source\" is not a string"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(text);
    expect_error(parse_cargo_lock(text, "rs"), Errc::invalid_argument, message);
  }
}

// toml++ frees dotted-key tables recursively: the shared TOML front end refuses them first.
TEST(CargoLock, DeepDottedKeysAreRefusedNotACrash) {
  std::string header = "[a";
  for (int i = 0; i < 100'000; ++i) header += ".a";
  expect_error(parse_cargo_lock(header + "]\nx = 1\n", "rs"), Errc::invalid_argument,
               "line 1 has more than 64 dotted key parts");
}

TEST(CargoLock, TruncatedFileFailsOrKeepsAPrefix) {
  const std::string text = read_text(test_data(std::string(kFixtures) + "two-packages.lock"));
  for (std::size_t cut = 0; cut < text.size(); ++cut) {
    auto r = parse_cargo_lock(std::string_view(text).substr(0, cut), "rs");
    if (r)
      EXPECT_LE(r->size(), 2u);
    else
      EXPECT_TRUE(r.error().code == Errc::data_loss || r.error().code == Errc::invalid_argument)
          << r.error().to_string();
  }
}

TEST(CargoLock, KindReadsCargoLock) {
  const InventoryKind kind = cargo_inventory_kind();
  EXPECT_EQ(kind.name, "cargo");
  EXPECT_EQ(kind.lockfile_names, std::vector<std::string>{"Cargo.lock"});
  EXPECT_EQ(kind.lockfile_ecosystem, "crates.io");
  auto source = kind.open_lockfile(test_data(std::string(kFixtures) + "two-packages.lock"), "p",
                                   kDefaultMaxFileBytes);
  EXPECT_EQ(source->name(), "cargo");
  auto packages = source->scan();
  ASSERT_OK(packages);
  EXPECT_EQ(packages->size(), 2u);
}

TEST(CargoLock, OversizedFileIsRefusedUnread) {
  const fs::path dir = testing::temp_dir("big");
  const fs::path file = dir / "Cargo.lock";
  testing::write_big_lockfile(
      file, (64u << 20) + 1, "version = 3\n",
      [](std::size_t i) {
        return "[[package]]\nname = \"c" + std::to_string(i) +
               "\"\nversion = \"1.0.0\"\nsource = \"registry+x\"\n";
      },
      "");
  testing::expect_refused_unread([&] { return CargoLock(file, "p").scan(); });
  fs::remove_all(dir);
}

}  // namespace
}  // namespace patchparty::inventory
