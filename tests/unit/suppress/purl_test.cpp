#include "core/suppress/purl.h"

#include <gtest/gtest.h>

namespace patchparty::suppress {
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
}

}  // namespace
}  // namespace patchparty::suppress
