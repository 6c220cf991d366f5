#include "collectors/inventory/apk_installed.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "tests/support/test_data.h"

namespace patchparty::inventory {
namespace {

void write(const std::filesystem::path& file, std::string_view text) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

const Package* find(const std::vector<Package>& packages, std::string_view name) {
  for (const auto& p : packages)
    if (p.name == name) return &p;
  return nullptr;
}

// Shaped like an Alpine 3.19 container's database: checksums, dependencies, provides and the
// file lists (F/R/a/Z) that make up most of a real file.
constexpr std::string_view kInstalled =
    "C:Q1hpNJIkBrqpDS0XSbWa5LrnDu6Pk=\n"
    "P:musl\n"
    "V:1.2.4_git20230717-r4\n"
    "A:x86_64\n"
    "S:407278\n"
    "I:663552\n"
    "T:the musl c library (libc) implementation\n"
    "U:https://musl.libc.org/\n"
    "L:MIT\n"
    "o:musl\n"
    "m:Timo Teräs <timo.teras@iki.fi>\n"
    "t:1703612130\n"
    "c:ca7f2ab5e88794e4e654b40776f8a92256f50639\n"
    "p:so:libc.musl-x86_64.so.1=1\n"
    "F:lib\n"
    "R:ld-musl-x86_64.so.1\n"
    "a:0:0:755\n"
    "Z:Q1Rg8bnwIGkfwpuvRhx4nKQ8NJhaU=\n"
    "R:libc.musl-x86_64.so.1\n"
    "a:0:0:777\n"
    "Z:Q17yJ3JFNypA4mxhJJr0ou6CzsJVI=\n"
    "\n"
    "C:Q1Gtz0Ggu0sFyMaOXoUEMJwvExD6Y=\n"
    "P:libcrypto3\n"
    "V:3.1.4-r5\n"
    "A:x86_64\n"
    "S:1804286\n"
    "I:4505600\n"
    "T:Crypto library from openssl\n"
    "U:https://www.openssl.org/\n"
    "L:Apache-2.0\n"
    "o:openssl\n"
    "m:Ariadne Conill <ariadne@dereferenced.org>\n"
    "t:1707148318\n"
    "c:e1b2ae4a4f5c3f1e7b7ea6b4f5a7f0d2b1c3b0a5\n"
    "D:so:libc.musl-x86_64.so.1\n"
    "p:so:libcrypto.so.3=3\n"
    "r:libressl\n"
    "F:etc\n"
    "F:etc/ssl\n"
    "R:openssl.cnf.dist\n"
    "Z:Q1Ll7r3PHbbnZMtVXkbbFZlI8HQfk=\n"
    "F:usr/lib\n"
    "R:libcrypto.so.3\n"
    "a:0:0:755\n"
    "Z:Q1dK5J1c9FM2nfGZfSfB2y0vAU0Lo=\n"
    "\n"
    "C:Q1oR8PHWfMi5S+5KpL7Bc5LOF5ahs=\n"
    "P:alpine-baselayout-data\n"
    "V:3.4.3-r2\n"
    "A:x86_64\n"
    "S:11664\n"
    "I:77824\n"
    "T:Alpine base dir structure and init scripts\n"
    "U:https://git.alpinelinux.org/cgit/aports/tree/main/alpine-baselayout\n"
    "L:GPL-2.0-only\n"
    "o:alpine-baselayout\n"
    "m:Natanael Copa <ncopa@alpinelinux.org>\n"
    "t:1704973211\n"
    "c:cb47fa4ebcb5ac4f8aec8fa52e6b0e91d3a9b82e\n"
    "r:alpine-baselayout\n"
    "q:1000\n"
    "F:etc\n"
    "R:fstab\n"
    "Z:Q11Q7hNe8QpDS531guqCdrXBzoA/o=\n"
    "\n"
    "C:Q1WQOM7Yf1k1q4x5Ahy5F9oaXrfZA=\n"
    "P:ca-certificates-bundle\n"
    "V:20240226-r0\n"
    "A:x86_64\n"
    "S:126024\n"
    "I:229376\n"
    "T:Pre generated bundle of Mozilla certificates\n"
    "U:https://www.mozilla.org/en-US/about/governance/policies/security-group/certs/\n"
    "L:MPL-2.0 AND MIT\n"
    "m:Natanael Copa <ncopa@alpinelinux.org>\n"
    "t:1709019432\n"
    "p:ca-certificates-cacert=20240226-r0\n"
    "\n";

TEST(ApkInstalled, ReadsARealisticDatabase) {
  auto root = testing::temp_dir("alpine");
  write(root / "lib/apk/db/installed", kInstalled);
  ApkInstalled source("Alpine:v3.19", {.root = root});
  EXPECT_EQ(source.name(), "apk");
  auto r = source.scan();
  ASSERT_OK(r);
  ASSERT_EQ(r->size(), 4u);

  const Package* crypto = find(*r, "libcrypto3");
  ASSERT_NE(crypto, nullptr);
  EXPECT_EQ(crypto->version, "3.1.4-r5");
  EXPECT_EQ(crypto->source_name, "openssl");  // secdb and OSV name the origin
  EXPECT_EQ(crypto->source_version, "3.1.4-r5");
  EXPECT_EQ(crypto->arch, "x86_64");
  EXPECT_EQ(crypto->ecosystem, "Alpine:v3.19");
  EXPECT_EQ(crypto->origin, "apk");
  EXPECT_EQ(crypto->location, (root / "lib/apk/db/installed").string());

  const Package* musl = find(*r, "musl");
  ASSERT_NE(musl, nullptr);
  EXPECT_EQ(musl->version, "1.2.4_git20230717-r4");
  EXPECT_EQ(musl->source_name, "musl");

  EXPECT_EQ(find(*r, "alpine-baselayout-data")->source_name, "alpine-baselayout");
  // No o: line: the package is its own origin.
  EXPECT_EQ(find(*r, "ca-certificates-bundle")->source_name, "ca-certificates-bundle");
}

TEST(ApkInstalled, LastRecordMayEndAtEndOfFile) {
  auto r = parse_apk_installed("P:busybox\nV:1.36.1-r15\nA:aarch64\no:busybox\n", "Alpine:v3.19");
  ASSERT_OK(r);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].arch, "aarch64");
}

TEST(ApkInstalled, EmptyDatabaseIsNoPackages) {
  auto r = parse_apk_installed("", "Alpine:v3.19");
  ASSERT_OK(r);
  EXPECT_TRUE(r->empty());
  r = parse_apk_installed("\n\n", "Alpine:v3.19");
  ASSERT_OK(r);
  EXPECT_TRUE(r->empty());
}

TEST(ApkInstalled, BadRecordsAreDataLossNamingTheLine) {
  struct Case {
    std::string text;
    std::string line;
  };
  const std::vector<Case> cases = {
      {"P:musl\nV:1.2.4-r4\n\nP:zlib\nA:x86_64\n\n", "line 4"},  // no V:
      {"V:1.2.4-r4\nA:x86_64\n\n", "line 1"},                    // no P:
      {"P:musl\nV:1.2.4-r4\nnot a field\n\n", "line 3"},
      {"P:musl\nV:1.2.4-r4\n:x\n\n", "line 3"},
      {"P:musl\nP:musl\nV:1\n\n", "line 2"},
      {"P:musl\nV:\n\n", "line 2"},
      {"P:musl\nV:1.2 4\n\n", "line 2"},
      {"P:\nV:1\n\n", "line 1"},
      {"P:mu;sl\nV:1\n\n", "line 1"},
      {"P:musl\nV:1\nA:x86 64\n\n", "line 3"},
      {"P:musl\nV:1\no:\n\n", "line 3"},
      {"P:musl\nV:1\n \n\n", "line 3"},
      {std::string("P:musl\nV:1\nZ:\0\n\n", 16), "line 3"},
  };
  for (const auto& c : cases) {
    auto r = parse_apk_installed(c.text, "Alpine:v3.19");
    EXPECT_ERRC(r, Errc::data_loss);
    if (!r) {
      EXPECT_NE(r.error().message.find(c.line), std::string::npos)
          << c.text << " → " << r.error().message;
    }
  }
}

TEST(ApkInstalled, TruncationNeverYieldsAPartialNameOrVersion) {
  auto full = parse_apk_installed(kInstalled, "Alpine:v3.19");
  ASSERT_OK(full);
  std::set<std::string> full_names;
  for (const auto& p : *full) full_names.insert(p.name);
  for (std::size_t cut = 1; cut < kInstalled.size(); ++cut) {
    auto prefix = kInstalled.substr(0, cut);
    auto r = parse_apk_installed(prefix, "Alpine:v3.19");
    if (!prefix.ends_with('\n')) {
      EXPECT_ERRC(r, Errc::data_loss);  // cut inside a line
      continue;
    }
    if (!r) {
      EXPECT_EQ(r.error().code, Errc::data_loss);  // a record cut before its P: or V:
      continue;
    }
    // A cut between lines can keep a record whose P: and V: made it; each is a real package
    // with its full name and version, never a prefix of one.
    for (const auto& p : *r) {
      EXPECT_TRUE(full_names.count(p.name)) << "cut at " << cut << ": " << p.name;
      EXPECT_NE(kInstalled.find("P:" + p.name + "\nV:" + p.version + "\n"), std::string::npos);
    }
  }
}

TEST(ApkInstalled, GarbageIsAnErrorNeverACrash) {
  std::mt19937 rng(1);
  for (int i = 0; i < 300; ++i) {
    std::string bytes(1 + static_cast<std::size_t>(rng() % 4096), '\0');
    for (auto& b : bytes) b = static_cast<char>(rng());
    EXPECT_ERRC(parse_apk_installed(bytes, "Alpine:v3.19"), Errc::data_loss);
  }
  auto binary = read_bounded_file("/proc/self/exe");
  ASSERT_OK(binary);
  EXPECT_ERRC(parse_apk_installed(*binary, "Alpine:v3.19"), Errc::data_loss);
}

TEST(ApkInstalled, FileOverTheSizeCapIsResourceExhausted) {
  auto root = testing::temp_dir("cap");
  write(root / "lib/apk/db/installed", kInstalled);
  EXPECT_ERRC(
      ApkInstalled("Alpine:v3.19", {.root = root, .max_bytes = kInstalled.size() - 1}).scan(),
      Errc::resource_exhausted);
  EXPECT_OK(ApkInstalled("Alpine:v3.19", {.root = root, .max_bytes = kInstalled.size()}).scan());
}

TEST(ApkInstalled, MissingDatabaseIsNotFound) {
  auto root = testing::temp_dir("none");
  EXPECT_ERRC(ApkInstalled("Alpine:v3.19", {.root = root}).scan(), Errc::not_found);
}

TEST(ApkInstalled, CorruptFileErrorNamesTheFile) {
  auto root = testing::temp_dir("corrupt");
  write(root / "lib/apk/db/installed", "P:musl\nA:x86_64\n\n");
  auto r = ApkInstalled("Alpine:v3.19", {.root = root}).scan();
  EXPECT_ERRC(r, Errc::data_loss);
  EXPECT_NE(r.error().message.find("lib/apk/db/installed: line 1"), std::string::npos)
      << r.error().message;
}

}  // namespace
}  // namespace patchparty::inventory
