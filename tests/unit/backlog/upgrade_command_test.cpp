#include "exporters/backlog/upgrade_command.h"

#include <gtest/gtest.h>

namespace patchparty::exporters {
namespace {

BacklogTask task(std::string ecosystem, std::string package, std::vector<std::string> binaries,
                 std::string target, std::vector<std::string> advisories = {}) {
  BacklogTask t;
  t.host = "web-1";
  t.ecosystem = std::move(ecosystem);
  t.package = std::move(package);
  t.binaries = std::move(binaries);
  t.target_version = std::move(target);
  BacklogVulnerability v;
  v.id = "CVE-2024-5535";
  v.advisories = std::move(advisories);
  t.vulnerabilities.push_back(std::move(v));
  return t;
}

std::vector<std::string> argv_of(const BacklogTask& t, std::string_view dir = {}) {
  auto c = upgrade_command(t, dir);
  return c ? c->argv : std::vector<std::string>{"(none)"};
}

TEST(UpgradeCommand, DebianAndUbuntuUpgradeTheInstalledBinariesOnly) {
  const auto t = task("Debian:12", "openssl", {"libssl3", "openssl"}, "3.0.15-1~deb12u1");
  EXPECT_EQ(argv_of(t), (std::vector<std::string>{"apt-get", "install", "--only-upgrade", "libssl3",
                                                  "openssl"}));
  EXPECT_EQ(shell_command(*upgrade_command(t)), "apt-get install --only-upgrade libssl3 openssl");
  EXPECT_EQ(
      argv_of(task("Ubuntu:Pro:18.04:LTS", "wayland", {"libwayland-client0"}, "1.16.0-1")),
      (std::vector<std::string>{"apt-get", "install", "--only-upgrade", "libwayland-client0"}));
}

TEST(UpgradeCommand, RedHatFamilyAppliesTheAdvisoriesOrTheBuild) {
  const auto alma = task("AlmaLinux:9", "openssl", {"openssl", "openssl-libs"}, "1:3.0.7-27.el9",
                         {"ALSA-2024:2447", "CVE-2024-5535", "ALSA-2024:1234"});
  EXPECT_EQ(argv_of(alma),
            (std::vector<std::string>{"dnf", "upgrade-minimal", "--advisory=ALSA-2024:1234",
                                      "--advisory=ALSA-2024:2447"}));
  const auto rhel = task("Red Hat:enterprise_linux:9", "sudo", {"sudo"}, "0:1.9.5p2-10.el9_6.1",
                         {"CVE-2025-32462"});
  EXPECT_EQ(argv_of(rhel),
            (std::vector<std::string>{"dnf", "upgrade", "sudo-0:1.9.5p2-10.el9_6.1"}));
}

TEST(UpgradeCommand, SuseAlpineAndProjects) {
  EXPECT_EQ(argv_of(task("SUSE:Linux Enterprise Server 15 SP5", "glibc", {"glibc", "glibc-locale"},
                         "2.31-150300.63.1", {"SUSE-SU-2024:1234-1"})),
            (std::vector<std::string>{"zypper", "update", "glibc", "glibc-locale"}));
  EXPECT_EQ(argv_of(task("Alpine:v3.19", "openssl", {"libcrypto3", "libssl3"}, "3.1.4-r5")),
            (std::vector<std::string>{"apk", "upgrade", "libcrypto3", "libssl3"}));
  auto composer = upgrade_command(
      task("Packagist", "symfony/http-kernel", {"symfony/http-kernel"}, "6.2.6"), "/srv/my shop");
  ASSERT_TRUE(composer);
  EXPECT_EQ(shell_command(*composer),
            "cd '/srv/my shop' && composer update symfony/http-kernel --with-dependencies");
  auto npm = upgrade_command(task("npm", "@scope/lodash", {"@scope/lodash"}, "4.17.21"),
                             "/srv/storefront");
  ASSERT_TRUE(npm);
  EXPECT_EQ(shell_command(*npm), "cd /srv/storefront && npm install @scope/lodash@4.17.21");
  EXPECT_FALSE(upgrade_command(task("PyPI", "django", {"django"}, "4.2.16")));
}

TEST(UpgradeCommand, EveryArgumentIsOneShellWord) {
  EXPECT_EQ(shell_quote("libssl3"), "libssl3");
  EXPECT_EQ(shell_quote("--advisory=RHSA-2024:1234"), "--advisory=RHSA-2024:1234");
  EXPECT_EQ(shell_quote("3.0.15-1~deb12u1"), "'3.0.15-1~deb12u1'");  // ~ expands at a word start
  EXPECT_EQ(shell_quote(""), "''");
  EXPECT_EQ(shell_quote("a b"), "'a b'");
  EXPECT_EQ(shell_quote("$(rm -rf /)"), "'$(rm -rf /)'");
  EXPECT_EQ(shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(shell_quote("x;y|z&`w`\n"), "'x;y|z&`w`\n'");
}

}  // namespace
}  // namespace patchparty::exporters
