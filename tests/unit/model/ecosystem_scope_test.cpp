#include "core/model/ecosystem_scope.h"

#include <gtest/gtest.h>

namespace patchparty {
namespace {

TEST(EcosystemScope, SameNameAndUnscopedAdvisories) {
  EXPECT_TRUE(ecosystem_applies("Debian:12", "Debian:12"));
  EXPECT_TRUE(ecosystem_applies("Debian", "Debian:12"));
  EXPECT_FALSE(ecosystem_applies("Debian:11", "Debian:12"));
  EXPECT_FALSE(ecosystem_applies("Debian:12", "Debian"));
  EXPECT_TRUE(ecosystem_applies("AlmaLinux", "AlmaLinux:9"));
  EXPECT_FALSE(ecosystem_applies("AlmaLinux:8", "AlmaLinux:9"));
  EXPECT_FALSE(ecosystem_applies("Rocky Linux:9", "AlmaLinux:9"));
  EXPECT_FALSE(ecosystem_applies("npm", "PyPI"));
  // A base is a whole word: "Debian" is not a prefix of "DebianX".
  EXPECT_FALSE(ecosystem_applies("Debian", "DebianX:1"));
}

TEST(EcosystemScope, PackagistRepositoriesApplyToComposerPackages) {
  EXPECT_TRUE(ecosystem_applies("Packagist:https://packages.drupal.org/8", "Packagist"));
  EXPECT_TRUE(ecosystem_applies("Packagist", "Packagist"));
}

TEST(EcosystemScope, RedHatStreamTakesEveryRepositoryOfItsRelease) {
  const char* host = "Red Hat:enterprise_linux:9";
  EXPECT_TRUE(ecosystem_applies("Red Hat:enterprise_linux:9", host));
  EXPECT_TRUE(ecosystem_applies("Red Hat:enterprise_linux:9::baseos", host));
  EXPECT_TRUE(ecosystem_applies("Red Hat:enterprise_linux:9::appstream", host));
  EXPECT_FALSE(ecosystem_applies("Red Hat:enterprise_linux:8::baseos", host));
  EXPECT_FALSE(ecosystem_applies("Red Hat:enterprise_linux:90::baseos", host));
  EXPECT_FALSE(ecosystem_applies("Red Hat:enterprise_linux:9:", host));
  // Extended streams only for hosts on them.
  EXPECT_FALSE(ecosystem_applies("Red Hat:rhel_eus:9.2::baseos", host));
  EXPECT_TRUE(ecosystem_applies("Red Hat:rhel_eus:9.2::baseos", "Red Hat:rhel_eus:9.2"));
  EXPECT_FALSE(ecosystem_applies("Red Hat:rhel_aus:8.6::appstream", "Red Hat:rhel_eus:8.6"));
}

TEST(EcosystemScope, UbuntuProRecordsOnlyForAttachedHosts) {
  EXPECT_TRUE(ecosystem_applies("Ubuntu:22.04:LTS", "Ubuntu:22.04:LTS"));
  EXPECT_FALSE(ecosystem_applies("Ubuntu:Pro:22.04:LTS", "Ubuntu:22.04:LTS"));
  EXPECT_TRUE(ecosystem_applies("Ubuntu:Pro:22.04:LTS", "Ubuntu:Pro:22.04:LTS"));
  EXPECT_TRUE(ecosystem_applies("Ubuntu:22.04:LTS", "Ubuntu:Pro:22.04:LTS"));
  EXPECT_FALSE(ecosystem_applies("Ubuntu:20.04:LTS", "Ubuntu:Pro:22.04:LTS"));
  EXPECT_FALSE(ecosystem_applies("Ubuntu:Pro:20.04:LTS", "Ubuntu:Pro:22.04:LTS"));
}

TEST(EcosystemScope, SuseProductTakesTheModulesOfItsServicePack) {
  const char* sles = "SUSE:Linux Enterprise Server 15 SP5";
  EXPECT_TRUE(ecosystem_applies("SUSE:Linux Enterprise Server 15 SP5", sles));
  EXPECT_TRUE(ecosystem_applies("SUSE:Linux Enterprise Module for Basesystem 15 SP5", sles));
  EXPECT_TRUE(
      ecosystem_applies("SUSE:Linux Enterprise Module for Server Applications 15 SP5", sles));
  EXPECT_FALSE(ecosystem_applies("SUSE:Linux Enterprise Module for Basesystem 15 SP4", sles));
  EXPECT_FALSE(ecosystem_applies("SUSE:Linux Enterprise Module for Basesystem 15", sles));
  EXPECT_FALSE(ecosystem_applies("SUSE:Linux Enterprise Server 15 SP4", sles));
  EXPECT_FALSE(ecosystem_applies("SUSE:Linux Enterprise Micro 5.5", sles));
  EXPECT_TRUE(ecosystem_applies("SUSE:Linux Enterprise Module for Basesystem 15",
                                "SUSE:Linux Enterprise Server 15"));
  EXPECT_TRUE(ecosystem_applies("openSUSE:Leap 15.5", "openSUSE:Leap 15.5"));
  EXPECT_FALSE(ecosystem_applies("openSUSE:Leap 15.4", "openSUSE:Leap 15.5"));
}

}  // namespace
}  // namespace patchparty
