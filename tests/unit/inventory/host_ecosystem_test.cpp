#include "collectors/inventory/host_ecosystem.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/test_data.h"

namespace patchparty::inventory {
namespace {

namespace fs = std::filesystem;

class HostEcosystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = testing::temp_dir("host-eco");
    inv_.root = root_;
  }
  void TearDown() override { fs::remove_all(root_); }
  void write(const std::string& rel, const std::string& text) {
    fs::create_directories((root_ / rel).parent_path());
    std::ofstream(root_ / rel) << text;
  }
  Result<HostEcosystem> detect() const { return host_ecosystem(inv_); }

  fs::path root_;
  config::InventoryConfig inv_;
};

TEST_F(HostEcosystemTest, RedHatAlmaRockyFromOsRelease) {
  write("etc/os-release", "ID=\"rhel\"\nVERSION_ID=\"9.3\"\nID_LIKE=\"fedora\"\n");
  auto h = detect();
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_EQ(h->ecosystem, "Red Hat:enterprise_linux:9");
  EXPECT_EQ(h->source, "os-release");
  write("etc/os-release", "ID=\"almalinux\"\nVERSION_ID=\"8.10\"\n");
  EXPECT_EQ(detect()->ecosystem, "AlmaLinux:8");
  write("etc/os-release", "ID=\"rocky\"\nVERSION_ID=\"9.4\"\n");
  EXPECT_EQ(detect()->ecosystem, "Rocky Linux:9");
}

TEST_F(HostEcosystemTest, RedHatExtendedStreamNeedsTheMinorRelease) {
  write("etc/os-release", "ID=\"rhel\"\nVERSION_ID=\"9.2\"\n");
  inv_.redhat_stream = "eus";
  EXPECT_EQ(detect()->ecosystem, "Red Hat:rhel_eus:9.2");
  write("etc/os-release", "ID=\"rhel\"\nVERSION_ID=\"9\"\n");
  auto h = detect();
  ASSERT_FALSE(h);
  EXPECT_EQ(h.error().code, Errc::invalid_argument);
  EXPECT_NE(h.error().message.find("minor release"), std::string::npos) << h.error().message;
  // Only Red Hat hosts have such streams.
  write("etc/os-release", "ID=\"almalinux\"\nVERSION_ID=\"9.2\"\n");
  EXPECT_EQ(detect()->ecosystem, "AlmaLinux:9");
}

TEST_F(HostEcosystemTest, RedHatExtendedStreamFromTheEnabledRepositories) {
  write("etc/os-release", "ID=\"rhel\"\nVERSION_ID=\"9.2\"\n");
  inv_.redhat_stream = "auto";
  EXPECT_EQ(detect()->ecosystem, "Red Hat:enterprise_linux:9") << "no redhat.repo: main stream";
  // As subscription-manager writes it; the disabled AUS repository does not count.
  const std::string repo =
      "#\n# Certificate-Based Repositories\n# Managed by (rhsm) subscription-manager\n#\n\n"
      "[rhel-9-for-x86_64-baseos-rpms]\nname = Red Hat Enterprise Linux 9 for x86_64 - BaseOS "
      "(RPMs)\nbaseurl = https://cdn.redhat.com/content/dist/rhel9/$releasever/x86_64/baseos/os\n"
      "enabled = 0\ngpgcheck = 1\n\n"
      "[rhel-9-for-x86_64-baseos-eus-rpms]\nname = Red Hat Enterprise Linux 9 for x86_64 - BaseOS "
      "- Extended Update Support (RPMs)\nbaseurl = "
      "https://cdn.redhat.com/content/eus/rhel9/$releasever/x86_64/baseos/os\nenabled = 1\n"
      "gpgcheck = 1\n\n"
      "[rhel-9-for-x86_64-appstream-eus-rpms]\nenabled = 1\n\n"
      "[rhel-9-for-x86_64-baseos-aus-rpms]\nenabled = 0\n";
  write("etc/yum.repos.d/redhat.repo", repo);
  EXPECT_EQ(detect()->ecosystem, "Red Hat:rhel_eus:9.2");
  inv_.redhat_stream = "none";  // configured wins
  EXPECT_EQ(detect()->ecosystem, "Red Hat:enterprise_linux:9");
  inv_.redhat_stream = "auto";
  write("etc/yum.repos.d/redhat.repo", repo + "\n[rhel-9-for-x86_64-baseos-e4s-rpms]\nenabled=1\n");
  auto both = detect();
  ASSERT_FALSE(both);
  EXPECT_NE(both.error().message.find("several extended streams (eus, e4s)"), std::string::npos)
      << both.error().message;
  // An AlmaLinux host's repositories say nothing of Red Hat's streams.
  write("etc/os-release", "ID=\"almalinux\"\nVERSION_ID=\"9.2\"\n");
  EXPECT_EQ(detect()->ecosystem, "AlmaLinux:9");
}

TEST_F(HostEcosystemTest, UbuntuProWhenAttachedOrConfigured) {
  write("etc/os-release", "ID=ubuntu\nVERSION_ID=\"22.04\"\nVERSION=\"22.04.4 LTS (Jammy)\"\n");
  EXPECT_EQ(detect()->ecosystem, "Ubuntu:22.04:LTS");
  write("var/lib/ubuntu-advantage/status.json", R"({"attached": false, "services": []})");
  EXPECT_EQ(detect()->ecosystem, "Ubuntu:22.04:LTS");
  write("var/lib/ubuntu-advantage/status.json", R"({"_doc": "x", "attached": true})");
  EXPECT_EQ(detect()->ecosystem, "Ubuntu:Pro:22.04:LTS");
  inv_.ubuntu_pro = config::Toggle::off;
  EXPECT_EQ(detect()->ecosystem, "Ubuntu:22.04:LTS");
  fs::remove(root_ / "var/lib/ubuntu-advantage/status.json");
  inv_.ubuntu_pro = config::Toggle::on;
  EXPECT_EQ(detect()->ecosystem, "Ubuntu:Pro:22.04:LTS");
  // A status file that is not JSON is not an attachment.
  inv_.ubuntu_pro = config::Toggle::automatic;
  write("var/lib/ubuntu-advantage/status.json", R"({"attached": tru)");
  EXPECT_EQ(detect()->ecosystem, "Ubuntu:22.04:LTS");
}

TEST_F(HostEcosystemTest, FamiliesWithoutAnOsvEcosystemAreNamedAsSuch) {
  for (auto [id, family] : {std::pair{"ol", "Oracle Linux"},
                            {"amzn", "Amazon Linux"},
                            {"centos", "CentOS"},
                            {"fedora", "Fedora"}}) {
    write("etc/os-release", std::string("ID=") + id + "\nVERSION_ID=\"8\"\n");
    auto h = detect();
    ASSERT_FALSE(h) << id;
    EXPECT_EQ(h.error().code, Errc::failed_precondition) << id;
    EXPECT_NE(h.error().message.find(family), std::string::npos) << h.error().message;
  }
  inv_.ecosystem = "AlmaLinux:8";
  auto h = detect();
  ASSERT_TRUE(h);
  EXPECT_EQ(h->ecosystem, "AlmaLinux:8");
  EXPECT_EQ(h->source, "configured");
}

TEST_F(HostEcosystemTest, OlderRedHatWithoutOsReleaseUsesItsCpe) {
  write("etc/system-release-cpe", "cpe:/o:redhat:enterprise_linux:6server:ga:server\n");
  auto h = detect();
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_EQ(h->ecosystem, "Red Hat:enterprise_linux:6");
  EXPECT_EQ(h->source, "system-release-cpe");
  EXPECT_EQ(*ecosystem_from_cpe("cpe:/o:redhat:enterprise_linux:7:ga:server"),
            "Red Hat:enterprise_linux:7");
  EXPECT_EQ(ecosystem_from_cpe("cpe:/o:centos:centos:7").error().code, Errc::not_found);
  EXPECT_EQ(ecosystem_from_cpe("cpe:/o:redhat:enterprise_linux:server").error().code,
            Errc::invalid_argument);
}

TEST_F(HostEcosystemTest, NothingToTellIsNotFoundNamingTheRoot) {
  auto h = detect();
  ASSERT_FALSE(h);
  EXPECT_EQ(h.error().code, Errc::not_found);
  EXPECT_NE(h.error().message.find(root_.string()), std::string::npos) << h.error().message;
}

TEST_F(HostEcosystemTest, ConfiguredOsReleasePathIsTheOneRead) {
  write("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
  write("srv/image-os-release", "ID=debian\nVERSION_ID=\"11\"\n");
  inv_.os_release = "/srv/image-os-release";
  EXPECT_EQ(detect()->ecosystem, "Debian:11");
}

}  // namespace
}  // namespace patchparty::inventory
