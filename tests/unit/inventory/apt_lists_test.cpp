// The rules of collectors/inventory/apt_lists.h on small lists directories laid out as apt names
// its files. tests/integration/third_party_origin_test.cpp checks the same against apt's own
// cache on lists the real apt-get writes.
#include "collectors/inventory/apt_lists.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>

#include "tests/support/test_data.h"

namespace patchparty::inventory {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDebian = "deb.debian.org_debian_dists_bookworm";
constexpr const char* kNginx = "nginx.org_packages_debian_dists_bookworm";

Package installed(std::string name, std::string version, std::string arch = "amd64") {
  Package p;
  p.ecosystem = "Debian:12";
  p.name = std::move(name);
  p.version = std::move(version);
  p.arch = std::move(arch);
  p.origin = "dpkg";
  return p;
}

std::string stanza(std::string_view name, std::string_view version, std::string_view arch) {
  return "Package: " + std::string(name) + "\nVersion: " + std::string(version) +
         "\nArchitecture: " + std::string(arch) +
         "\nDescription: a package\n a long description\n .\n over lines\n\n";
}

class AptListsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::temp_dir("aptlists");
    options_.dir = dir_;
    options_.distribution_origins = default_distribution_origins("Debian:12");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  void write_gzip(const std::string& name, const std::string& text) {
    gzFile f = gzopen((dir_ / name).c_str(), "wb");
    ASSERT_NE(f, nullptr);
    ASSERT_EQ(gzwrite(f, text.data(), static_cast<unsigned>(text.size())),
              static_cast<int>(text.size()));
    gzclose(f);
  }
  // The distribution's lists and nginx.org's, as apt keeps them.
  void write_two_repositories() {
    write(std::string(kDebian) + "_InRelease",
          "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nOrigin: Debian\nLabel: Debian\n"
          "Suite: stable\nCodename: bookworm\nSHA256:\n 0123 1 main/binary-amd64/Packages\n"
          "-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----\n");
    write_gzip(std::string(kDebian) + "_main_binary-amd64_Packages.gz",
               stanza("nginx", "1.22.1-9+deb12u1", "amd64") +
                   stanza("libssl3", "3.0.15-1~deb12u1", "amd64") +
                   stanza("tzdata", "2024b-0+deb12u1", "all") +
                   // no blank line after the last stanza
                   "Package: curl\nVersion: 7.88.1-10+deb12u8\nArchitecture: amd64");
    write(std::string(kNginx) + "_Release", "Origin: nginx\nLabel: nginx\nCodename: bookworm\n");
    write(std::string(kNginx) + "_nginx_binary-amd64_Packages",
          stanza("nginx", "1.26.2-1~bookworm", "amd64") +
              stanza("nginx", "1.26.3-1~bookworm", "amd64") +
              stanza("nginx", "1.27.0-1~bookworm", "i386") +
              stanza("nginx-module-njs", "1.26.2+0.8.9-1~bookworm", "amd64"));
  }

  fs::path dir_;
  AptListsOptions options_;
};

TEST(AptRelease, ReadsTheSignedBodyOfAnInRelease) {
  const AptRelease r = parse_apt_release(
      "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA512\n\nOrigin: Debian\nLabel: Debian-Security\n"
      "Suite: stable-security\nCodename: bookworm-security\nDate: Sat, 07 Dec 2026 10:00:00 UTC\n"
      "-----BEGIN PGP SIGNATURE-----\n\nOrigin: forged\n-----END PGP SIGNATURE-----\n");
  EXPECT_EQ(r.origin, "Debian");
  EXPECT_EQ(r.label, "Debian-Security");
  EXPECT_EQ(r.suite, "stable-security");
  EXPECT_EQ(r.codename, "bookworm-security");
}

TEST(AptRelease, ReadsAPlainReleaseWithAnyCaseAndCrLf) {
  const AptRelease r = parse_apt_release(
      "origin: LP-PPA-ondrej-php\r\nLABEL: ***** The main PPA "
      "*****\r\nSuite: jammy\r\n\r\nOrigin: second paragraph\n");
  EXPECT_EQ(r.origin, "LP-PPA-ondrej-php");
  EXPECT_EQ(r.label, "***** The main PPA *****");
  EXPECT_EQ(r.suite, "jammy");
  EXPECT_EQ(r.codename, "");
}

TEST(AptRelease, DistributionOriginsPerFamily) {
  EXPECT_EQ(default_distribution_origins("Debian:12"),
            (std::vector<std::string>{"Debian", "Debian Backports"}));
  EXPECT_EQ(default_distribution_origins("Ubuntu:Pro:18.04:LTS"),
            (std::vector<std::string>{"Ubuntu", "UbuntuESM", "UbuntuESMApps"}));
  EXPECT_TRUE(default_distribution_origins("Alpine:v3.19").empty());
}

TEST_F(AptListsTest, TellsTheDistributionsBuildsFromAThirdPartys) {
  write_two_repositories();
  std::vector<Package> packages = {
      installed("nginx", "1.26.2-1~bookworm"),   // only nginx.org's list
      installed("libssl3", "3.0.15-1~deb12u1"),  // Debian's
      installed("tzdata", "2024b-0+deb12u1", "all"),
      installed("curl", "7.88.1-10+deb12u8"),            // the last stanza, without a blank line
      installed("libssl3", "3.0.11-1~deb12u2", "i386"),  // no list for i386
      installed("nginx-module-njs", "1.26.2+0.8.9-1~bookworm"),
      installed("bash", "5.2.15-2+b2"),  // in no list at all
  };
  auto r = mark_package_suppliers(packages, options_);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->lists, 2u);
  EXPECT_TRUE(r->warnings.empty());
  EXPECT_EQ(r->third_party, 2u);
  EXPECT_EQ(packages[0].supplier, "nginx");
  EXPECT_TRUE(packages[0].third_party);
  // The i386 build is not offered to an amd64 host.
  EXPECT_EQ(packages[0].supplier_newest, "1.26.3-1~bookworm");
  for (std::size_t i : {1, 2, 3}) {
    EXPECT_EQ(packages[i].supplier, "Debian") << packages[i].name;
    EXPECT_FALSE(packages[i].third_party) << packages[i].name;
  }
  EXPECT_EQ(packages[4].supplier, "");
  EXPECT_TRUE(packages[5].third_party);
  EXPECT_EQ(packages[6].supplier, "");
  EXPECT_FALSE(packages[6].third_party);
}

TEST_F(AptListsTest, AnOlderBuildNoListHoldsAnyMore) {
  write_two_repositories();
  // Debian also ships nginx: an unlisted nginx version may be either's, so it stays Debian's.
  // Only nginx.org ships the njs module: an unlisted one can only be nginx.org's.
  std::vector<Package> packages = {installed("nginx", "1.24.0-1~bookworm"),
                                   installed("nginx-module-njs", "1.24.0+0.8.0-1~bookworm")};
  ASSERT_TRUE(mark_package_suppliers(packages, options_));
  EXPECT_FALSE(packages[0].third_party);
  EXPECT_EQ(packages[0].supplier, "");
  EXPECT_TRUE(packages[1].third_party);
  EXPECT_EQ(packages[1].supplier, "nginx");
  EXPECT_EQ(packages[1].supplier_newest, "1.26.2+0.8.9-1~bookworm");
}

TEST_F(AptListsTest, VersionsMatchAsDpkgComparesThem) {
  write_two_repositories();
  std::vector<Package> packages = {installed("libssl3", "0:3.0.15-1~deb12u1")};
  ASSERT_TRUE(mark_package_suppliers(packages, options_));
  EXPECT_EQ(packages[0].supplier, "Debian");
}

TEST_F(AptListsTest, ARepositoryWithoutOriginIsNamedByLabelOrSite) {
  write("repo.example.org_flat_Release", "Label: Example tools\n");
  write("repo.example.org_flat_._Packages", stanza("tool", "1.0", "amd64"));
  write("apt.example.net_debian_dists_stable_Release", "Suite: stable\n");
  write("apt.example.net_debian_dists_stable_main_binary-amd64_Packages",
        stanza("agent", "2.0", "amd64"));
  std::vector<Package> packages = {installed("tool", "1.0"), installed("agent", "2.0")};
  auto r = mark_package_suppliers(packages, options_);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->warnings.empty());
  EXPECT_EQ(packages[0].supplier, "Example tools");
  EXPECT_TRUE(packages[0].third_party);
  EXPECT_EQ(packages[1].supplier, "apt.example.net");
  EXPECT_TRUE(packages[1].third_party);
}

TEST_F(AptListsTest, AListWithoutItsReleaseIsNotToldApart) {
  // The distribution's lists whose InRelease went missing must not turn into a third party's.
  write(std::string(kDebian) + "_main_binary-amd64_Packages",
        stanza("libssl3", "3.0.15-1~deb12u1", "amd64"));
  std::vector<Package> packages = {installed("libssl3", "3.0.15-1~deb12u1")};
  auto r = mark_package_suppliers(packages, options_);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->lists, 0u);
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_NE(r->warnings[0].find("no InRelease or Release file"), std::string::npos)
      << r->warnings[0];
  EXPECT_EQ(packages[0].supplier, "");
  EXPECT_FALSE(packages[0].third_party);
}

TEST_F(AptListsTest, ACorruptOrOversizedListIsAWarningAndTheOthersStillCount) {
  write_two_repositories();
  for (const char* site : {"broken", "cut", "big"})
    write(std::string(site) + ".example.org_dists_x_Release",
          "Origin: " + std::string(site) + "\n");
  write("broken.example.org_dists_x_main_binary-amd64_Packages.xz", "this is not xz data");
  // Text gzip cannot shrink much, so 200 bytes of it stop well inside the 2048-byte cap.
  std::string noise;
  for (unsigned x = 1; noise.size() < 20000; x = x * 1103515245u + 12345u)
    noise += static_cast<char>('a' + (x >> 16) % 26);
  write_gzip("cut.example.org_dists_x_main_binary-amd64_Packages.gz",
             "Description: " + noise + "\n\n" + stanza("nginx", "1.26.2-1~bookworm", "amd64"));
  fs::resize_file(dir_ / "cut.example.org_dists_x_main_binary-amd64_Packages.gz", 200);
  write("big.example.org_dists_x_main_binary-amd64_Packages",
        std::string(4096, 'x') + "\n" + stanza("libssl3", "3.0.15-1~deb12u1", "amd64"));
  options_.max_list_bytes = 2048;
  std::vector<Package> packages = {installed("libssl3", "3.0.15-1~deb12u1"),
                                   installed("nginx", "1.26.2-1~bookworm")};
  auto r = mark_package_suppliers(packages, options_);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->warnings.size(), 3u);
  EXPECT_NE(r->warnings[0].find("big.example.org"), std::string::npos) << r->warnings[0];
  EXPECT_NE(r->warnings[0].find("more than 2048 bytes"), std::string::npos) << r->warnings[0];
  EXPECT_NE(r->warnings[1].find("broken.example.org"), std::string::npos) << r->warnings[1];
  EXPECT_NE(r->warnings[1].find("not in the compression its name says"), std::string::npos)
      << r->warnings[1];
  EXPECT_NE(r->warnings[2].find("cut.example.org"), std::string::npos) << r->warnings[2];
  EXPECT_EQ(r->warnings[2].find("more than"), std::string::npos) << r->warnings[2];
  EXPECT_EQ(r->lists, 2u);
  EXPECT_EQ(packages[0].supplier, "Debian");
  EXPECT_TRUE(packages[1].third_party);
}

TEST_F(AptListsTest, NoListsMarksNothing) {
  std::vector<Package> packages = {installed("nginx", "1.26.2-1~bookworm")};
  options_.dir = dir_ / "missing";
  auto r = mark_package_suppliers(packages, options_);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->lists, 0u);
  EXPECT_EQ(packages[0].supplier, "");
  EXPECT_FALSE(packages[0].third_party);
  // An empty directory, as container images leave it after `rm -rf /var/lib/apt/lists/*`.
  options_.dir = dir_;
  r = mark_package_suppliers(packages, options_);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->lists, 0u);
  EXPECT_FALSE(packages[0].third_party);
}

}  // namespace
}  // namespace patchparty::inventory
