#include "core/model/purl.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace patchparty {
namespace {

Package deb(std::string name, std::string source, std::string version, std::string arch) {
  Package p;
  p.ecosystem = "Debian:12";
  p.origin = "dpkg";
  p.name = std::move(name);
  p.source_name = std::move(source);
  p.version = p.source_version = std::move(version);
  p.arch = std::move(arch);
  return p;
}

Package app(std::string ecosystem, std::string name, std::string version) {
  Package p;
  p.ecosystem = std::move(ecosystem);
  p.name = p.source_name = std::move(name);
  p.version = p.source_version = std::move(version);
  return p;
}

Purl purl(std::string_view text) {
  auto p = parse_purl(text);
  EXPECT_TRUE(p.has_value()) << text;
  return p.value_or(Purl{});
}

TEST(Purl, ParsesEveryPart) {
  Purl p = purl("pkg:deb/debian/openssl@3.0.11-1~deb12u1?arch=amd64&distro=debian-12#sub/path");
  EXPECT_EQ(p.type, "deb");
  EXPECT_EQ(p.name_space, "debian");
  EXPECT_EQ(p.name, "openssl");
  EXPECT_EQ(p.version, "3.0.11-1~deb12u1");
  EXPECT_EQ(p.qualifier("arch"), "amd64");
  EXPECT_EQ(p.qualifier("distro"), "debian-12");
  EXPECT_EQ(p.qualifier("missing"), "");
}

TEST(Purl, DecodesPercentEscapes) {
  Purl p = purl("pkg:deb/debian/libc6@1%3A2.36-9%2Bdeb12u4");
  EXPECT_EQ(p.version, "1:2.36-9+deb12u4");
  Purl scoped = purl("pkg:npm/%40babel/core@7.22.0");
  EXPECT_EQ(scoped.name_space, "@babel");
  EXPECT_EQ(scoped.name, "core");
}

TEST(Purl, KeepsAnUnencodedNpmScopeInTheNamespace) {
  Purl p = purl("pkg:npm/@babel/core@7.22.0");
  EXPECT_EQ(p.name_space, "@babel");
  EXPECT_EQ(p.name, "core");
  EXPECT_EQ(p.version, "7.22.0");
}

TEST(Purl, VersionIsOptional) {
  Purl p = purl("pkg:npm/lodash");
  EXPECT_EQ(p.name, "lodash");
  EXPECT_EQ(p.version, "");
  EXPECT_EQ(p.name_space, "");
}

TEST(Purl, RefusesWhatIsNotAPackageUrl) {
  for (const char* bad :
       {"", "pkg:", "pkg:npm", "pkg:npm/", "https://example.com/x", "pkg:/lodash",
        "pkg:npm/lod%zzash", "pkg:npm/lodash@1%2", "pkg:npm/x?=v", "pkg:npm/x?novalue"})
    EXPECT_EQ(parse_purl(bad), std::nullopt) << bad;
}

TEST(Purl, MatchesDebianByBinaryOrSourceName) {
  Package libssl = deb("libssl3", "openssl", "3.0.11-1~deb12u1", "amd64");
  EXPECT_TRUE(purl_matches(purl("pkg:deb/debian/libssl3@3.0.11-1~deb12u1"), libssl));
  EXPECT_TRUE(purl_matches(purl("pkg:deb/debian/openssl@3.0.11-1~deb12u1?arch=amd64"), libssl));
  EXPECT_TRUE(purl_matches(purl("pkg:deb/debian/openssl"), libssl));
  EXPECT_FALSE(purl_matches(purl("pkg:deb/debian/openssl@3.0.13-1~deb12u1"), libssl));
  EXPECT_FALSE(purl_matches(purl("pkg:deb/debian/openssl?arch=arm64"), libssl));
  EXPECT_FALSE(purl_matches(purl("pkg:deb/debian/gnutls28"), libssl));
}

TEST(Purl, TypeMustFitTheEcosystem) {
  Package lodash = app("npm", "lodash", "4.17.20");
  EXPECT_TRUE(purl_matches(purl("pkg:npm/lodash@4.17.20"), lodash));
  EXPECT_FALSE(purl_matches(purl("pkg:pypi/lodash@4.17.20"), lodash));
  EXPECT_FALSE(purl_matches(purl("pkg:deb/debian/lodash@4.17.20"), lodash));
  EXPECT_FALSE(purl_matches(purl("pkg:unknowntype/lodash@4.17.20"), lodash));
  Package deb_openssl = deb("openssl", "openssl", "3.0.11-1", "amd64");
  EXPECT_FALSE(purl_matches(purl("pkg:rpm/redhat/openssl@3.0.11-1"), deb_openssl));
}

TEST(Purl, MatchesScopedNpmPackages) {
  Package core = app("npm", "@babel/core", "7.22.0");
  EXPECT_TRUE(purl_matches(purl("pkg:npm/%40babel/core@7.22.0"), core));
  EXPECT_TRUE(purl_matches(purl("pkg:npm/@babel/core@7.22.0"), core));
  EXPECT_FALSE(purl_matches(purl("pkg:npm/core@7.22.0"), core));
}

TEST(Purl, MatchesComposerIgnoringCaseAndTheVPrefix) {
  Package kernel = app("Packagist", "symfony/http-kernel", "v4.4.12");
  EXPECT_TRUE(purl_matches(purl("pkg:composer/symfony/http-kernel@4.4.12"), kernel));
  EXPECT_TRUE(purl_matches(purl("pkg:composer/Symfony/HTTP-Kernel@v4.4.12"), kernel));
  EXPECT_FALSE(purl_matches(purl("pkg:composer/symfony/http-kernel@4.4.13"), kernel));
  EXPECT_FALSE(purl_matches(purl("pkg:composer/http-kernel@4.4.12"), kernel));
}

TEST(Purl, MatchesPyPiByNormalizedName) {
  Package p = app("PyPI", "Zope.Interface", "6.0");
  EXPECT_TRUE(purl_matches(purl("pkg:pypi/zope-interface@6.0"), p));
  EXPECT_TRUE(purl_matches(purl("pkg:pypi/zope_interface"), p));
}

TEST(Purl, MatchesMavenAndGoByTheirJoinedNames) {
  EXPECT_TRUE(purl_matches(purl("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"),
                           app("Maven", "org.apache.logging.log4j:log4j-core", "2.14.1")));
  EXPECT_TRUE(purl_matches(purl("pkg:golang/golang.org/x/net@v0.17.0"),
                           app("Go", "golang.org/x/net", "0.17.0")));
}

TEST(Purl, MatchesAlpineAndRpmByOrigin) {
  Package apk = app("Alpine:v3.19", "musl", "1.2.4-r2");
  apk.origin = "apk";
  EXPECT_TRUE(purl_matches(purl("pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64"), apk));
  Package rpm = app("Red Hat", "openssl-libs", "1:3.0.7-24.el9");
  rpm.origin = "rpm";
  rpm.source_name = "openssl";
  EXPECT_TRUE(purl_matches(purl("pkg:rpm/redhat/openssl@1%3A3.0.7-24.el9"), rpm));
  // The spec's spelling: the epoch as a qualifier. Without one, any epoch.
  EXPECT_TRUE(purl_matches(purl("pkg:rpm/redhat/openssl-libs@3.0.7-24.el9?epoch=1"), rpm));
  EXPECT_TRUE(purl_matches(purl("pkg:rpm/redhat/openssl-libs@3.0.7-24.el9"), rpm));
  EXPECT_FALSE(purl_matches(purl("pkg:rpm/redhat/openssl-libs@3.0.7-24.el9?epoch=2"), rpm));
  EXPECT_FALSE(purl_matches(purl("pkg:rpm/redhat/openssl-libs@2:3.0.7-24.el9"), rpm));
}

Package from(std::string_view text) {
  std::string why;
  auto p = package_from_purl(purl(text), why);
  EXPECT_TRUE(p.has_value()) << text << ": " << why;
  return p.value_or(Package{});
}

std::string refusal(std::string_view text) {
  std::string why;
  auto p = package_from_purl(purl(text), why);
  EXPECT_FALSE(p.has_value()) << text << " gave " << (p ? p->ecosystem + " " + p->name : "");
  EXPECT_FALSE(why.empty()) << text;
  return why;
}

TEST(PackageFromPurl, MapsApplicationTypesToOsvEcosystems) {
  struct Case {
    std::string_view purl, ecosystem, name, version;
  };
  for (const Case& c : std::vector<Case>{
           {"pkg:npm/lodash@4.17.21", "npm", "lodash", "4.17.21"},
           {"pkg:npm/%40babel/core@7.22.0", "npm", "@babel/core", "7.22.0"},
           {"pkg:composer/symfony/http-kernel@v4.4.12", "Packagist", "symfony/http-kernel",
            "v4.4.12"},
           {"pkg:pypi/django@4.2.1", "PyPI", "django", "4.2.1"},
           {"pkg:golang/golang.org/x/net@v0.17.0", "Go", "golang.org/x/net", "0.17.0"},
           {"pkg:golang/github.com/docker/docker@v20.10.7%2Bincompatible", "Go",
            "github.com/docker/docker", "20.10.7+incompatible"},
           {"pkg:golang/stdlib@go1.21.3", "Go", "stdlib", "1.21.3"},
           {"pkg:cargo/serde@1.0.188", "crates.io", "serde", "1.0.188"},
           {"pkg:gem/rails@7.0.4", "RubyGems", "rails", "7.0.4"},
           {"pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "Maven",
            "org.apache.logging.log4j:log4j-core", "2.14.1"},
           {"pkg:nuget/Newtonsoft.Json@13.0.1", "NuGet", "Newtonsoft.Json", "13.0.1"},
       }) {
    const Package p = from(c.purl);
    EXPECT_EQ(p.ecosystem, c.ecosystem) << c.purl;
    EXPECT_EQ(p.name, c.name) << c.purl;
    EXPECT_EQ(p.version, c.version) << c.purl;
    EXPECT_EQ(p.source_name, p.name) << c.purl;
    EXPECT_EQ(p.source_version, p.version) << c.purl;
    EXPECT_EQ(p.arch, "") << c.purl;
  }
}

TEST(PackageFromPurl, MapsDistroQualifiersToReleases) {
  struct Case {
    std::string_view purl, ecosystem;
  };
  for (const Case& c : std::vector<Case>{
           {"pkg:deb/debian/openssl@3.0.11-1~deb12u1?distro=debian-12", "Debian:12"},
           {"pkg:deb/debian/openssl@3.0.11-1~deb12u1?distro=bookworm", "Debian:12"},
           {"pkg:deb/debian/openssl@3.0.11-1~deb12u1?distro=debian-bookworm", "Debian:12"},
           {"pkg:deb/debian/openssl@3.0.11-1~deb12u1?distro=debian-12.4", "Debian:12"},
           {"pkg:deb/debian/openssl@1.1.1n-0+deb11u5?distro=bullseye", "Debian:11"},
           {"pkg:deb/debian/openssl@3.1.4-2?distro=debian-sid", "Debian"},
           {"pkg:deb/debian/openssl@3.1.4-2?distro=debian", "Debian"},
           {"pkg:deb/ubuntu/openssl@3.0.2-0ubuntu1.10?distro=ubuntu-22.04", "Ubuntu:22.04:LTS"},
           {"pkg:deb/ubuntu/openssl@3.0.2-0ubuntu1.10?distro=ubuntu-22.04.3", "Ubuntu:22.04:LTS"},
           {"pkg:deb/ubuntu/openssl@3.0.2-0ubuntu1.10?distro=jammy", "Ubuntu:22.04:LTS"},
           {"pkg:deb/ubuntu/openssl@1.1.1f-1ubuntu2?distro=ubuntu-20.04", "Ubuntu:20.04:LTS"},
           {"pkg:deb/ubuntu/openssl@3.0.10-1ubuntu2?distro=ubuntu-23.10", "Ubuntu:23.10"},
           {"pkg:deb/ubuntu/openssl@3.0.8-1ubuntu1?distro=ubuntu-23.04", "Ubuntu:23.04"},
           {"pkg:apk/alpine/musl@1.2.4-r2?distro=alpine-3.19.1", "Alpine:v3.19"},
           {"pkg:apk/alpine/musl@1.2.4-r2?distro=3.19.1", "Alpine:v3.19"},
           {"pkg:apk/alpine/musl@1.2.3-r4?distro=alpine-3.17", "Alpine:v3.17"},
           {"pkg:apk/wolfi/glibc@2.38-r1", "Wolfi"},
           {"pkg:apk/chainguard/glibc@2.38-r1", "Chainguard"},
           {"pkg:rpm/redhat/openssl@3.0.7-24.el9?distro=rhel-9.3", "Red Hat:enterprise_linux:9"},
           {"pkg:rpm/redhat/openssl@3.0.7-24.el9?distro=redhat-9.2", "Red Hat:enterprise_linux:9"},
           {"pkg:rpm/almalinux/openssl@3.0.7-27.el9?distro=almalinux-9.3", "AlmaLinux:9"},
           {"pkg:rpm/rocky/openssl@3.0.7-27.el9?distro=rocky-9.3", "Rocky Linux:9"},
           {"pkg:rpm/opensuse/openssl-3@3.0.8-150500.5.8.1?distro=opensuse-leap-15.5",
            "openSUSE:Leap 15.5"},
           {"pkg:rpm/opensuse/openssl-3@3.1.4-1.1?distro=opensuse-tumbleweed",
            "openSUSE:Tumbleweed"},
       })
    EXPECT_EQ(from(c.purl).ecosystem, c.ecosystem) << c.purl;
}

TEST(PackageFromPurl, ReadsArchEpochAndSourcePackage) {
  Package libc =
      from("pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&upstream=glibc&distro=debian-12");
  EXPECT_EQ(libc.name, "libc6");
  EXPECT_EQ(libc.version, "2.36-9+deb12u4");
  EXPECT_EQ(libc.arch, "amd64");
  EXPECT_EQ(libc.source_name, "glibc");
  EXPECT_EQ(libc.source_version, "2.36-9+deb12u4");
  // Syft writes the source version when it differs from the binary's.
  Package bsd = from(
      "pkg:deb/debian/bsdutils@1:2.38.1-5%2Bb1?arch=amd64&upstream=util-linux%402.38.1-5&"
      "distro=debian-12");
  EXPECT_EQ(bsd.version, "1:2.38.1-5+b1");
  EXPECT_EQ(bsd.source_name, "util-linux");
  EXPECT_EQ(bsd.source_version, "2.38.1-5");
  Package libs = from(
      "pkg:rpm/almalinux/openssl-libs@3.0.7-27.el9?arch=x86_64&epoch=1&"
      "upstream=openssl-3.0.7-27.el9.src.rpm&distro=almalinux-9.3");
  EXPECT_EQ(libs.version, "1:3.0.7-27.el9");
  EXPECT_EQ(libs.arch, "x86_64");
  EXPECT_EQ(libs.source_name, "openssl");
  EXPECT_EQ(libs.source_version, "1:3.0.7-27.el9");
  Package busybox = from(
      "pkg:apk/alpine/ssl_client@1.36.1-r15?arch=x86_64&upstream=busybox&"
      "distro=alpine-3.19.1");
  EXPECT_EQ(busybox.source_name, "busybox");
  EXPECT_EQ(busybox.source_version, "1.36.1-r15");
  Package plain = from("pkg:deb/debian/openssl@3.0.11-1~deb12u1?distro=debian-12");
  EXPECT_EQ(plain.source_name, "openssl");
  EXPECT_EQ(plain.arch, "");
}

TEST(PackageFromPurl, SaysWhyItCannotUseAPurl) {
  EXPECT_EQ(refusal("pkg:npm/lodash"), "no version");
  EXPECT_THAT(refusal("pkg:generic/openssl@3.0.0"), ::testing::HasSubstr("'generic'"));
  EXPECT_THAT(refusal("pkg:oci/debian@sha256%3Aabc"), ::testing::HasSubstr("'oci'"));
  EXPECT_THAT(refusal("pkg:deb/debian/openssl@3.0.11-1"), ::testing::HasSubstr("no distro"));
  EXPECT_THAT(refusal("pkg:deb/debian/openssl@3.0.11-1?distro=ubuntu-22.04"),
              ::testing::HasSubstr("not a Debian release"));
  EXPECT_THAT(refusal("pkg:deb/debian/openssl@3.0.11-1?distro=debian-hamm2"),
              ::testing::HasSubstr("names no Debian release"));
  EXPECT_THAT(refusal("pkg:deb/ubuntu/openssl@3.0.2?distro=ubuntu-lts"),
              ::testing::HasSubstr("names no Ubuntu release"));
  EXPECT_THAT(refusal("pkg:deb/raspbian/openssl@3.0.11-1?distro=raspbian-12"),
              ::testing::HasSubstr("no OSV ecosystem"));
  EXPECT_THAT(refusal("pkg:apk/alpine/musl@1.2.4-r2?distro=alpine-3.20_alpha20240329"),
              ::testing::HasSubstr("edge"));
  EXPECT_THAT(refusal("pkg:rpm/centos/openssl@1.0.2k-26.el7?distro=centos-7"),
              ::testing::HasSubstr("no OSV ecosystem"));
  EXPECT_THAT(refusal("pkg:rpm/fedora/curl@7.50.3-1.fc25?distro=fedora-25"),
              ::testing::HasSubstr("no OSV ecosystem"));
  EXPECT_THAT(refusal("pkg:rpm/redhat/openssl@3.0.7?epoch=x&distro=rhel-9"),
              ::testing::HasSubstr("epoch"));
  EXPECT_THAT(refusal("pkg:rpm/redhat/openssl@3.0.7?distro=rhel-9&upstream=openssl.src.rpm"),
              ::testing::HasSubstr("source rpm"));
  EXPECT_THAT(refusal("pkg:maven/log4j-core@2.14.1"), ::testing::HasSubstr("group"));
  EXPECT_THAT(refusal("pkg:composer/http-kernel@4.4.12"), ::testing::HasSubstr("vendor"));
  EXPECT_THAT(refusal("pkg:npm/left%20pad@1.0.0"), ::testing::HasSubstr("name"));
  EXPECT_THAT(refusal("pkg:npm/left-pad@1.0.0%0A"), ::testing::HasSubstr("version"));
  EXPECT_EQ(package_from_purl(purl("pkg:npm/lodash")), std::nullopt);
}

Package inventoried(std::string ecosystem, std::string origin, std::string name,
                    std::string version, std::string arch = "") {
  Package p = app(std::move(ecosystem), std::move(name), std::move(version));
  p.origin = std::move(origin);
  p.arch = std::move(arch);
  return p;
}

TEST(PurlOf, WritesCanonicalPurls) {
  Package openssl = inventoried("Debian:12", "dpkg", "openssl", "3.0.11-1~deb12u1", "amd64");
  EXPECT_EQ(purl_of(openssl),
            "pkg:deb/debian/openssl@3.0.11-1~deb12u1?arch=amd64&distro=debian-12");
  Package rpm = inventoried("AlmaLinux:9", "rpm", "openssl", "1:3.0.7-27.el9", "x86_64");
  // Qualifiers in key order, as the spec's canonical form has them.
  EXPECT_EQ(purl_of(rpm),
            "pkg:rpm/almalinux/openssl@3.0.7-27.el9?arch=x86_64&distro=almalinux-9&epoch=1");
  Package libs =
      inventoried("Red Hat:enterprise_linux:9", "rpm", "openssl-libs", "1:3.0.7-24.el9", "x86_64");
  libs.source_name = "openssl";
  EXPECT_EQ(purl_of(libs),
            "pkg:rpm/redhat/openssl-libs@3.0.7-24.el9?arch=x86_64&distro=rhel-9&epoch=1&"
            "upstream=openssl-3.0.7-24.el9.src.rpm");
  Package libc = inventoried("Debian:12", "dpkg", "libc6", "2.36-9+deb12u4", "amd64");
  libc.source_name = "glibc";
  EXPECT_EQ(purl_of(libc),
            "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc");
  Package bsd = inventoried("Debian:12", "dpkg", "bsdutils", "1:2.38.1-5+b1", "amd64");
  bsd.source_name = "util-linux";
  bsd.source_version = "2.38.1-5";
  EXPECT_EQ(purl_of(bsd),
            "pkg:deb/debian/bsdutils@1:2.38.1-5%2Bb1?arch=amd64&distro=debian-12&"
            "upstream=util-linux%402.38.1-5");
  EXPECT_EQ(purl_of(inventoried("Ubuntu:Pro:22.04:LTS", "dpkg", "curl", "7.81.0-1ubuntu1.15")),
            "pkg:deb/ubuntu/curl@7.81.0-1ubuntu1.15?distro=ubuntu-22.04");
  EXPECT_EQ(purl_of(inventoried("Alpine:v3.19", "apk", "musl", "1.2.4-r2", "x86_64")),
            "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.19");
}

TEST(PurlOf, PercentEncodesScopedNpmAndMavenNames) {
  EXPECT_EQ(purl_of(app("npm", "@babel/core", "7.22.0")), "pkg:npm/%40babel/core@7.22.0");
  EXPECT_EQ(purl_of(app("npm", "@types/node", "20.1.0-beta+build.1")),
            "pkg:npm/%40types/node@20.1.0-beta%2Bbuild.1");
  EXPECT_EQ(purl_of(app("Maven", "org.apache.logging.log4j:log4j-core", "2.14.1")),
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
  // Characters outside the permitted set, even where no real name has them.
  EXPECT_EQ(purl_of(app("Maven", "com.example:a b", "1.0 final")),
            "pkg:maven/com.example/a%20b@1.0%20final");
  EXPECT_EQ(purl_of(app("npm", "@s/a?b#c", "1@2")), "pkg:npm/%40s/a%3Fb%23c@1%402");
  EXPECT_EQ(purl_of(app("Go", "golang.org/x/net", "0.17.0")),
            "pkg:golang/golang.org/x/net@v0.17.0");
  EXPECT_EQ(purl_of(app("Go", "github.com/docker/docker", "20.10.7+incompatible")),
            "pkg:golang/github.com/docker/docker@v20.10.7%2Bincompatible");
  EXPECT_EQ(purl_of(app("PyPI", "Zope_Interface", "6.0")), "pkg:pypi/zope-interface@6.0");
  EXPECT_EQ(purl_of(app("Packagist", "Symfony/HTTP-Kernel", "v4.4.12")),
            "pkg:composer/symfony/http-kernel@v4.4.12");
  EXPECT_EQ(purl_of(app("Hex", "phoenix", "1.7.0")), "pkg:generic/phoenix@1.7.0");
}

TEST(PurlOf, RoundTripsEveryEcosystem) {
  std::vector<Package> packages = {
      app("npm", "lodash", "4.17.21"),
      app("npm", "@babel/core", "7.22.0"),
      app("Packagist", "symfony/http-kernel", "v4.4.12"),
      app("PyPI", "django", "4.2.1"),
      app("PyPI", "zope-interface", "6.0"),
      app("Go", "golang.org/x/net", "0.17.0"),
      app("Go", "github.com/Azure/azure-sdk-for-go", "68.0.0+incompatible"),
      app("Go", "stdlib", "1.21.3"),
      app("crates.io", "serde", "1.0.188"),
      app("RubyGems", "rails", "7.0.4"),
      app("Maven", "org.apache.logging.log4j:log4j-core", "2.14.1"),
      app("NuGet", "Newtonsoft.Json", "13.0.1"),
      inventoried("Debian:12", "dpkg", "openssl", "3.0.11-1~deb12u1", "amd64"),
      inventoried("Debian", "dpkg", "openssl", "3.1.4-2", "amd64"),
      inventoried("Ubuntu:22.04:LTS", "dpkg", "curl", "7.81.0-1ubuntu1.15", "amd64"),
      inventoried("Ubuntu:23.10", "dpkg", "curl", "8.2.1-1ubuntu3.3", "amd64"),
      inventoried("Alpine:v3.19", "apk", "musl", "1.2.4-r2", "x86_64"),
      inventoried("Wolfi", "apk", "glibc", "2.38-r1", "x86_64"),
      inventoried("Red Hat:enterprise_linux:9", "rpm", "openssl-libs", "1:3.0.7-24.el9", "x86_64"),
      inventoried("AlmaLinux:9", "rpm", "openssl", "1:3.0.7-27.el9", "x86_64"),
      inventoried("Rocky Linux:8", "rpm", "bash", "4.4.20-4.el8_6", "x86_64"),
      inventoried("openSUSE:Leap 15.5", "rpm", "openssl-3", "3.0.8-150500.5.8.1", "x86_64"),
      inventoried("openSUSE:Tumbleweed", "rpm", "openssl-3", "3.1.4-1.1", "x86_64"),
      inventoried("Mageia:9", "rpm", "openssl", "3.0.13-1.mga9", "x86_64"),
      inventoried("Photon OS:5.0", "rpm", "openssl", "3.0.9-3.ph5", "x86_64"),
  };
  Package libc = inventoried("Debian:12", "dpkg", "bsdutils", "1:2.38.1-5+b1", "amd64");
  libc.source_name = "util-linux";
  libc.source_version = "2.38.1-5";
  packages.push_back(libc);
  Package libs = inventoried("AlmaLinux:9", "rpm", "openssl-libs", "1:3.0.7-27.el9", "x86_64");
  libs.source_name = "openssl";
  packages.push_back(libs);
  for (const Package& p : packages) {
    const std::string text = purl_of(p);
    auto parsed = parse_purl(text);
    ASSERT_TRUE(parsed.has_value()) << text;
    std::string why;
    auto back = package_from_purl(*parsed, why);
    ASSERT_TRUE(back.has_value()) << text << ": " << why;
    EXPECT_EQ(back->ecosystem, p.ecosystem) << text;
    EXPECT_EQ(back->name, p.name) << text;
    EXPECT_EQ(back->version, p.version) << text;
    EXPECT_EQ(back->arch, p.arch) << text;
    EXPECT_EQ(back->source_name, p.source_name) << text;
    EXPECT_EQ(back->source_version, p.source_version) << text;
    EXPECT_TRUE(purl_matches(*parsed, p)) << text;
  }
}

TEST(PurlOf, SaysLessThanSomeEcosystems) {
  // Ubuntu Pro, Red Hat's extended streams and SUSE have no purl spelling: the purl is still
  // valid and matches the package, but reads back as the plain release (or not at all).
  Package pro = inventoried("Ubuntu:Pro:22.04:LTS", "dpkg", "curl", "7.81.0-1ubuntu1.15");
  EXPECT_EQ(from(purl_of(pro)).ecosystem, "Ubuntu:22.04:LTS");
  Package eus = inventoried("Red Hat:rhel_eus:9.2", "rpm", "bash", "5.1.8-6.el9_1");
  EXPECT_EQ(purl_of(eus), "pkg:rpm/redhat/bash@5.1.8-6.el9_1?distro=rhel-9.2");
  EXPECT_EQ(from(purl_of(eus)).ecosystem, "Red Hat:enterprise_linux:9");
  Package sles = inventoried("SUSE:Linux Enterprise Server 15 SP5", "rpm", "bash", "4.4-150400");
  EXPECT_EQ(purl_of(sles), "pkg:rpm/suse/bash@4.4-150400");
  EXPECT_TRUE(purl_matches(purl(purl_of(sles)), sles));
  EXPECT_THAT(refusal(purl_of(sles)), ::testing::HasSubstr("no OSV ecosystem"));
  // The spec folds PyPI and Composer names; matching ignores the difference.
  Package zope = app("PyPI", "Zope.Interface", "6.0");
  EXPECT_EQ(from(purl_of(zope)).name, "zope.interface");
  EXPECT_TRUE(purl_matches(purl(purl_of(zope)), zope));
}

TEST(Purl, MatchesOsPackagesAnSbomReported) {
  Package rpm = inventoried("AlmaLinux:9", "cyclonedx", "openssl", "1:3.0.7-27.el9", "x86_64");
  EXPECT_TRUE(purl_matches(purl("pkg:rpm/almalinux/openssl@1:3.0.7-27.el9"), rpm));
  Package wolfi = inventoried("Wolfi", "spdx", "glibc", "2.38-r1");
  EXPECT_TRUE(purl_matches(purl("pkg:apk/wolfi/glibc@2.38-r1"), wolfi));
  EXPECT_FALSE(purl_matches(purl("pkg:rpm/wolfi/glibc@2.38-r1"), wolfi));
}

}  // namespace
}  // namespace patchparty
