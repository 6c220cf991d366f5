#include "collectors/inventory/dpkg_status.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "tests/support/test_data.h"
#include "tests/unit/inventory/lockfile_fixtures.h"

namespace patchparty::inventory {
namespace {

using Triple = std::tuple<std::string, std::string, std::string>;  // name, arch, version

std::vector<std::vector<std::string>> rows(const std::string& tsv) {
  std::vector<std::vector<std::string>> out;
  std::istringstream in(tsv);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cols;
    std::size_t start = 0;
    for (std::size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
      cols.push_back(line.substr(start, tab - start));
    cols.push_back(line.substr(start));
    out.push_back(std::move(cols));
  }
  return out;
}

// The states whose files are on disk, as documented in dpkg_status.cpp.
bool on_disk(const std::string& state) {
  return state == "installed" || state == "triggers-awaited" || state == "triggers-pending" ||
         state == "half-configured" || state == "unpacked";
}

// dpkg-query's view of the host, columns: package, arch, version, state, source, source version.
std::string query_host() {
  return testing::command_output(
      "dpkg-query -W -f='${Package}\\t${Architecture}\\t${Version}\\t${db:Status-Status}\\t"
      "${source:Package}\\t${source:Version}\\n'");
}

void write(const std::filesystem::path& file, std::string_view text) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

const Package* find(const std::vector<Package>& packages, std::string_view name,
                    std::string_view arch = {}) {
  for (const auto& p : packages)
    if (p.name == name && (arch.empty() || p.arch == arch)) return &p;
  return nullptr;
}

constexpr std::string_view kStanzas =
    "Package: libc6\n"
    "Status: install ok installed\n"
    "Priority: optional\n"
    "Section: libs\n"
    "Installed-Size: 12986\n"
    "Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>\n"
    "Architecture: amd64\n"
    "Multi-Arch: same\n"
    "Source: glibc\n"
    "Version: 2.36-9+deb12u4\n"
    "Depends: libgcc-s1\n"
    "Conffiles:\n"
    " /etc/ld.so.conf.d/x86_64-linux-gnu.conf d4e7a7b88a71b5ffd9e2644e71a0cfab\n"
    "Description: GNU C Library: Shared libraries\n"
    " Contains the standard libraries that are used by nearly all programs on\n"
    " the system.\n"
    " .\n"
    " This package includes shared versions of the standard C library.\n"
    "Homepage: https://www.gnu.org/software/libc/libc.html\n"
    "\n"
    "Package: libc6\n"
    "Status: install ok installed\n"
    "Architecture: i386\n"
    "Multi-Arch: same\n"
    "Source: glibc\n"
    "Version: 2.36-9+deb12u4\n"
    "Description: GNU C Library: Shared libraries\n"
    "\n"
    "Package: bash\n"
    "Essential: yes\n"
    "Status: hold ok installed\n"
    "Architecture: amd64\n"
    "Source: bash (5.2.15-2)\n"
    "Version: 5.2.15-2+b2\n"
    "Description: GNU Bourne Again SHell\n"
    "\n"
    "Package: adduser\n"
    "Status: install ok installed\n"
    "Architecture: all\n"
    "Version: 3.134\n"
    "\n";

// ---- this host ---------------------------------------------------------------------------

TEST(DpkgStatus, MatchesDpkgQueryOnThisHost) {
  // A package manager may run meanwhile: retry until dpkg-query agrees with itself around
  // our read, so the comparison is between two views of the same database.
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto before = query_host();
    DpkgStatus source("Debian:12");
    auto packages = source.scan();
    auto after = query_host();
    if (before != after) continue;
    ASSERT_OK(packages);

    std::set<Triple> expected;
    for (const auto& row : rows(before)) {
      ASSERT_EQ(row.size(), 6u);
      if (on_disk(row[3])) expected.emplace(row[0], row[1], row[2]);
    }
    std::set<Triple> got;
    for (const auto& p : *packages) {
      EXPECT_TRUE(got.emplace(p.name, p.arch, p.version).second) << "duplicate " << p.name;
      EXPECT_EQ(p.ecosystem, "Debian:12");
      EXPECT_EQ(p.origin, "dpkg");
      EXPECT_TRUE(p.location.starts_with("/var/lib/dpkg/")) << p.location;  // status or updates/
    }
    EXPECT_GT(expected.size(), 50u) << "dpkg-query listed almost nothing";
    EXPECT_EQ(got, expected);
    return;
  }
  FAIL() << "the dpkg database kept changing during the test";
}

TEST(DpkgStatus, BinaryPackageNamesMatchDpkgQueryForMultiarch) {
  // ${binary:Package} qualifies Multi-Arch: same packages with ":arch"; rebuilding that from
  // our fields proves name and arch are the pair dpkg itself uses as the key.
  auto text = read_bounded_file("/var/lib/dpkg/status");
  ASSERT_OK(text);
  auto packages = parse_dpkg_status(*text, "Debian:12");
  ASSERT_OK(packages);
  std::set<std::string> multiarch_same;
  for (const auto& row :
       rows(testing::command_output("dpkg-query -W -f='${binary:Package}\\t${Multi-Arch}\\n'")))
    if (row.size() == 2 && row[1] == "same") multiarch_same.insert(row[0]);
  const Package* libc = find(*packages, "libc6");
  ASSERT_NE(libc, nullptr);
  EXPECT_TRUE(multiarch_same.count("libc6:" + libc->arch)) << "libc6 is Multi-Arch: same";
  std::size_t qualified = 0;
  for (const auto& p : *packages) {
    if (multiarch_same.count(p.name + ":" + p.arch)) ++qualified;
  }
  EXPECT_EQ(qualified, multiarch_same.size());
}

TEST(DpkgStatus, SourcePackagesMatchDpkgQueryOnThisHost) {
  auto text = read_bounded_file("/var/lib/dpkg/status");
  ASSERT_OK(text);
  auto packages = parse_dpkg_status(*text, "Debian:12");
  ASSERT_OK(packages);
  std::map<std::pair<std::string, std::string>, std::pair<std::string, std::string>> expected;
  for (const auto& row : rows(query_host()))
    if (row.size() == 6 && on_disk(row[3])) expected[{row[0], row[1]}] = {row[4], row[5]};
  std::size_t compared = 0;
  for (const auto& p : *packages) {
    auto it = expected.find({p.name, p.arch});
    if (it == expected.end()) continue;  // changed since the read; the test above covers sets
    EXPECT_EQ(p.source_name, it->second.first) << p.name;
    EXPECT_EQ(p.source_version, it->second.second) << p.name;
    ++compared;
  }
  EXPECT_GT(compared, 50u);

  const Package* libc = find(*packages, "libc6");
  ASSERT_NE(libc, nullptr);
  EXPECT_EQ(libc->source_name, "glibc");
  EXPECT_EQ(libc->source_name,
            testing::command_output("dpkg-query -W -f='${source:Package}' libc6:" + libc->arch));
}

// ---- fields ------------------------------------------------------------------------------

TEST(DpkgStatus, ReadsFieldsAndSourceForms) {
  auto r = parse_dpkg_status(kStanzas, "Debian:12");
  ASSERT_OK(r);
  ASSERT_EQ(r->size(), 4u);

  const Package* libc = find(*r, "libc6", "amd64");
  ASSERT_NE(libc, nullptr);
  EXPECT_EQ(libc->version, "2.36-9+deb12u4");
  EXPECT_EQ(libc->source_name, "glibc");
  EXPECT_EQ(libc->source_version, "2.36-9+deb12u4");  // Source without "(version)"
  EXPECT_EQ(libc->ecosystem, "Debian:12");
  EXPECT_EQ(libc->origin, "dpkg");
  EXPECT_NE(find(*r, "libc6", "i386"), nullptr);

  const Package* bash = find(*r, "bash");
  ASSERT_NE(bash, nullptr);
  EXPECT_EQ(bash->version, "5.2.15-2+b2");
  EXPECT_EQ(bash->source_name, "bash");
  EXPECT_EQ(bash->source_version, "5.2.15-2");  // binNMU: the source version differs

  const Package* adduser = find(*r, "adduser");
  ASSERT_NE(adduser, nullptr);
  EXPECT_EQ(adduser->source_name, "adduser");  // no Source: the binary is its own source
  EXPECT_EQ(adduser->source_version, "3.134");
  EXPECT_EQ(adduser->arch, "all");
}

TEST(DpkgStatus, FieldNamesAreCaseInsensitiveAndValuesTrimmed) {
  auto r = parse_dpkg_status(
      "package: zlib1g\nSTATUS:  install ok installed \nversion:\t1:1.2.13.dfsg-1 \n"
      "Source: zlib  ( 1:1.2.13.dfsg-1 )\n\n",
      "Debian:12");
  ASSERT_OK(r);
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0].name, "zlib1g");
  EXPECT_EQ((*r)[0].version, "1:1.2.13.dfsg-1");
  EXPECT_EQ((*r)[0].source_name, "zlib");
  EXPECT_EQ((*r)[0].source_version, "1:1.2.13.dfsg-1");
}

TEST(DpkgStatus, CountsOnlyPackagesWhoseFilesAreOnDisk) {
  auto r = parse_dpkg_status(
      "Package: gone\nStatus: deinstall ok config-files\nVersion: 1.0-1\n\n"
      "Package: purged\nStatus: purge ok not-installed\n\n"
      "Package: broken\nStatus: install reinstreq half-installed\nVersion: 2.0-1\n\n"
      "Package: pending\nStatus: install ok triggers-pending\nVersion: 3.0-1\n\n"
      "Package: awaiting\nStatus: install ok triggers-awaited\nVersion: 3.0-1\n\n"
      "Package: unpacked\nStatus: install ok unpacked\nVersion: 4.0-1\n\n"
      "Package: halfconf\nStatus: install ok half-configured\nVersion: 4.0-1\n\n"
      "Package: kept\nStatus: deinstall ok installed\nVersion: 5.0-1\n\n",
      "Debian:12");
  ASSERT_OK(r);
  std::set<std::string> names;
  for (const auto& p : *r) names.insert(p.name);
  EXPECT_EQ(names, (std::set<std::string>{"pending", "awaiting", "unpacked", "halfconf", "kept"}));
}

// ---- bad input ---------------------------------------------------------------------------

TEST(DpkgStatus, InstalledStanzaWithoutVersionIsDataLossNamingItsLine) {
  auto r = parse_dpkg_status(std::string(kStanzas) +
                                 "Package: nover\nStatus: install ok installed\nArchitecture: "
                                 "amd64\n\n",
                             "Debian:12");
  EXPECT_ERRC(r, Errc::data_loss);
  auto first_line = std::count(kStanzas.begin(), kStanzas.end(), '\n') + 1;
  EXPECT_NE(r.error().message.find("line " + std::to_string(first_line) + ":"), std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("nover"), std::string::npos) << r.error().message;
}

TEST(DpkgStatus, StanzaWithoutPackageIsDataLoss) {
  auto r = parse_dpkg_status("Status: install ok installed\nVersion: 1\n\n", "Debian:12");
  EXPECT_ERRC(r, Errc::data_loss);
  EXPECT_NE(r.error().message.find("line 1"), std::string::npos);
}

TEST(DpkgStatus, StanzaWithoutStatusIsDataLossInTheStatusFile) {
  auto r = parse_dpkg_status("Package: a\nVersion: 1\n\nPackage: b\nVersion: 1\n\n", "Debian:12");
  EXPECT_ERRC(r, Errc::data_loss);
  EXPECT_NE(r.error().message.find("line 1"), std::string::npos);
  auto d = parse_dpkg_status("Package: a\nVersion: 1\n", "Debian:12", DpkgStatusKind::status_d);
  ASSERT_OK(d);
  EXPECT_EQ(d->size(), 1u);
}

TEST(DpkgStatus, MalformedLinesAreDataLossNamingTheLine) {
  struct Case {
    std::string text;
    std::string line;
  };
  const std::vector<Case> cases = {
      {"Package: a\nStatus: install ok installed\nno colon here\n\n", "line 3"},
      {" leading continuation\nPackage: a\n\n", "line 1"},
      {"Package: a\nVersion: 1\n continued version\n\n", "line 3"},
      {"Package: a\nPackage: b\n\n", "line 2"},
      {"Package: a\nStatus: install ok\nVersion: 1\n\n", "line 2"},
      {"Package: a\nStatus: install ok exploded\nVersion: 1\n\n", "line 2"},
      {"Package: a\nStatus: install ok installed\nVersion: 1 2\n\n", "line 3"},
      {"Package: a\nStatus: install ok installed\nVersion: 1\nSource: b (1\n\n", "line 4"},
      {"Package: a\nStatus: install ok installed\nVersion: 1\nSource: b ()\n\n", "line 4"},
      {"Package: A$B\nStatus: install ok installed\nVersion: 1\n\n", "line 1"},
      {"Package: a\nStatus: install ok installed\nVersion: 1\nArchitecture: am d64\n\n", "line 4"},
      {"Package: a\n: empty field name\n\n", "line 2"},
  };
  for (const auto& c : cases) {
    auto r = parse_dpkg_status(c.text, "Debian:12");
    EXPECT_ERRC(r, Errc::data_loss);
    if (!r) {
      EXPECT_NE(r.error().message.find(c.line), std::string::npos) << r.error().message;
    }
  }
}

TEST(DpkgStatus, TruncationIsDataLossUnlessCutBetweenStanzas) {
  auto text = read_bounded_file("/var/lib/dpkg/status");
  ASSERT_OK(text);
  auto full = parse_dpkg_status(*text, "Debian:12");
  ASSERT_OK(full);

  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < 400; ++i) cuts.push_back(text->size() * i / 400);
  // Exactly after a newline and exactly after a stanza: the cases a line-based check could miss.
  for (std::size_t pos = 0, n = 0; n < 40 && (pos = text->find('\n', pos + 1)) != text->npos; ++n)
    cuts.push_back(pos + 1);
  for (std::size_t pos = 0, n = 0; n < 40 && (pos = text->find("\n\n", pos + 1)) != text->npos; ++n)
    cuts.push_back(pos + 2);
  cuts.push_back(text->size() - 1);

  std::size_t clean_cuts = 0;
  for (auto cut : cuts) {
    std::string_view prefix(text->data(), cut);
    auto r = parse_dpkg_status(prefix, "Debian:12");
    if (prefix.ends_with("\n\n")) {
      ASSERT_OK(r) << "cut at " << cut;
      // Whole stanzas only: exactly the first packages of the full parse.
      ASSERT_LE(r->size(), full->size());
      for (std::size_t i = 0; i < r->size(); ++i) EXPECT_EQ((*r)[i].name, (*full)[i].name);
      ++clean_cuts;
    } else {
      EXPECT_ERRC(r, Errc::data_loss);
      if (!r) {
        EXPECT_NE(r.error().message.find("line "), std::string::npos) << "cut at " << cut;
      }
    }
  }
  EXPECT_GE(clean_cuts, 40u);
}

TEST(DpkgStatus, GarbageIsAnErrorNeverACrash) {
  std::mt19937 rng(42);
  std::size_t errors = 0;
  for (int i = 0; i < 300; ++i) {
    std::string bytes(static_cast<std::size_t>(rng() % 4096), '\0');
    for (auto& b : bytes) b = static_cast<char>(rng());
    auto r = parse_dpkg_status(bytes, "Debian:12");
    if (!r) {
      EXPECT_EQ(r.error().code, Errc::data_loss);
      ++errors;
    }
  }
  EXPECT_GE(errors, 299u);  // only the empty string is a valid database

  auto binary = read_bounded_file("/proc/self/exe");
  ASSERT_OK(binary);
  EXPECT_ERRC(parse_dpkg_status(*binary, "Debian:12"), Errc::data_loss);

  // One enormous line must be rejected in one pass, not scanned quadratically.
  std::string huge(32u << 20, 'x');
  EXPECT_ERRC(parse_dpkg_status(huge, "Debian:12"), Errc::data_loss);
}

TEST(DpkgStatus, EmptyDatabaseIsNoPackages) {
  auto r = parse_dpkg_status("", "Debian:12");
  ASSERT_OK(r);
  EXPECT_TRUE(r->empty());
}

// ---- files -------------------------------------------------------------------------------

TEST(DpkgStatus, FileOverTheSizeCapIsResourceExhausted) {
  auto root = testing::temp_dir("cap");
  write(root / "var/lib/dpkg/status", kStanzas);
  DpkgStatus small("Debian:12", {.root = root, .max_bytes = kStanzas.size() - 1});
  EXPECT_ERRC(small.scan(), Errc::resource_exhausted);
  DpkgStatus exact("Debian:12", {.root = root, .max_bytes = kStanzas.size()});
  EXPECT_OK(exact.scan());

  // The cap holds for status and status.d together.
  write(root / "var/lib/dpkg/status.d/extra", "Package: extra\nVersion: 1\n");
  EXPECT_ERRC(exact.scan(), Errc::resource_exhausted);
}

TEST(DpkgStatus, MergesStatusDAsDistrolessShipsIt) {
  auto root = testing::temp_dir("distroless");
  auto dir = root / "var/lib/dpkg/status.d";
  write(dir / "base-files",
        "Package: base-files\nVersion: 12.4+deb12u5\nArchitecture: amd64\n"
        "Maintainer: Santiago Vila <sanvila@debian.org>\nDescription: Debian base system\n"
        " miscellaneous files\n");
  write(dir / "libssl3",
        "Package: libssl3\nVersion: 3.0.11-1~deb12u2\nArchitecture: amd64\n"
        "Source: openssl\n\n");
  write(dir / "libssl3.md5sums", "0123456789abcdef  usr/lib/x86_64-linux-gnu/libssl.so.3\n");
  write(dir / ".hidden", "not a stanza\n");
  write(dir / "removed", "Package: removed\nStatus: deinstall ok config-files\nVersion: 1\n");

  DpkgStatus source("Debian:12", {.root = root});
  auto r = source.scan();
  ASSERT_OK(r);
  ASSERT_EQ(r->size(), 2u);
  const Package* ssl = find(*r, "libssl3");
  ASSERT_NE(ssl, nullptr);
  EXPECT_EQ(ssl->source_name, "openssl");
  EXPECT_EQ(ssl->source_version, "3.0.11-1~deb12u2");
  EXPECT_EQ(ssl->location, (dir / "libssl3").string());
  EXPECT_NE(find(*r, "base-files"), nullptr);

  // With a status file too: one entry per (name, arch, version), both of two versions kept.
  write(root / "var/lib/dpkg/status",
        "Package: libssl3\nStatus: install ok installed\nVersion: 3.0.11-1~deb12u2\n"
        "Architecture: amd64\nSource: openssl\n\n"
        "Package: base-files\nStatus: install ok installed\nVersion: 12.4+deb12u4\n"
        "Architecture: amd64\n\n");
  r = source.scan();
  ASSERT_OK(r);
  std::set<Triple> got;
  for (const auto& p : *r) got.emplace(p.name, p.arch, p.version);
  EXPECT_EQ(got, (std::set<Triple>{{"libssl3", "amd64", "3.0.11-1~deb12u2"},
                                   {"base-files", "amd64", "12.4+deb12u4"},
                                   {"base-files", "amd64", "12.4+deb12u5"}}));
  EXPECT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].location, (root / "var/lib/dpkg/status").string());
}

std::string stanza(std::string_view name, std::string_view status, std::string_view version) {
  return "Package: " + std::string(name) + "\nStatus: " + std::string(status) +
         "\nMaintainer: Debian <debian@example.org>\nArchitecture: amd64\nVersion: " +
         std::string(version) + "\nDescription: " + std::string(name) + "\n";
}

TEST(DpkgStatus, AppliesTheJournalAsDpkgQueryDoes) {
  // An interrupted dpkg run leaves its newest records in updates/; dpkg-query reads them over
  // status, so the same admin directory is the oracle.
  auto admin = testing::temp_dir("journal");
  write(admin / "status", stanza("upgraded", "install ok installed", "1.0-1") + "\n" +
                              stanza("removed", "install ok installed", "2.0-1") + "\n" +
                              stanza("untouched", "install ok installed", "3.0-1") + "\n");
  write(admin / "updates/0000", stanza("upgraded", "install ok installed", "1.0-2"));
  write(admin / "updates/0001", stanza("removed", "deinstall ok config-files", "2.0-1"));
  write(admin / "updates/0002", stanza("added", "install ok unpacked", "4.0-1") + "\n");
  write(admin / "updates/0003", stanza("upgraded", "install ok half-configured", "1.0-3"));
  write(admin / "updates/tmp.i", "Package: half-written");

  DpkgStatus source("Debian:12", {.status_file = admin / "status",
                                  .status_dir = admin / "status.d",
                                  .updates_dir = admin / "updates"});
  auto r = source.scan();
  ASSERT_OK(r);
  std::set<Triple> got;
  for (const auto& p : *r) got.emplace(p.name, p.arch, p.version);

  std::set<Triple> expected;
  for (const auto& row : rows(testing::command_output(
           "dpkg-query --admindir='" + admin.string() +
           "' -W -f='${Package}\\t${Architecture}\\t${Version}\\t${db:Status-Status}\\n' "
           "2>/dev/null"))) {
    ASSERT_EQ(row.size(), 4u);
    if (on_disk(row[3])) expected.emplace(row[0], row[1], row[2]);
  }
  EXPECT_EQ(expected, (std::set<Triple>{{"upgraded", "amd64", "1.0-3"},
                                        {"untouched", "amd64", "3.0-1"},
                                        {"added", "amd64", "4.0-1"}}));
  EXPECT_EQ(got, expected);
  const Package* upgraded = find(*r, "upgraded");
  ASSERT_NE(upgraded, nullptr);
  EXPECT_EQ(upgraded->location, (admin / "updates/0003").string());
}

TEST(DpkgStatus, CorruptJournalRecordIsDataLossNamingTheFile) {
  auto admin = testing::temp_dir("badjournal");
  write(admin / "status", stanza("a", "install ok installed", "1") + "\n");
  write(admin / "updates/0000", "Package: a\nVersion: 2\n");  // no Status
  auto r = DpkgStatus("Debian:12", {.status_file = admin / "status",
                                    .status_dir = admin / "status.d",
                                    .updates_dir = admin / "updates"})
               .scan();
  EXPECT_ERRC(r, Errc::data_loss);
  EXPECT_NE(r.error().message.find("updates/0000: line 1"), std::string::npos) << r.error().message;
}

TEST(DpkgStatus, CorruptStatusDFileNamesTheFileAndLine) {
  auto root = testing::temp_dir("corrupt");
  write(root / "var/lib/dpkg/status.d/bad", "Package: bad\nArchitecture: amd64\n");
  auto r = DpkgStatus("Debian:12", {.root = root}).scan();
  EXPECT_ERRC(r, Errc::data_loss);
  EXPECT_NE(r.error().message.find("status.d/bad: line 1"), std::string::npos) << r.error().message;
}

TEST(DpkgStatus, MissingDatabaseIsNotFound) {
  auto root = testing::temp_dir("empty");
  EXPECT_ERRC(DpkgStatus("Debian:12", {.root = root}).scan(), Errc::not_found);
}

TEST(DpkgStatus, ExplicitPathsOutsideTheDefaultLayout) {
  auto dir = testing::temp_dir("paths");
  write(dir / "my-status", kStanzas);
  DpkgStatus source("Ubuntu:22.04:LTS",
                    {.status_file = dir / "my-status", .status_dir = dir / "none"});
  auto r = source.scan();
  ASSERT_OK(r);
  EXPECT_EQ(r->size(), 4u);
  EXPECT_EQ(source.name(), "dpkg");
  EXPECT_EQ((*r)[0].ecosystem, "Ubuntu:22.04:LTS");
}

}  // namespace
}  // namespace patchparty::inventory
