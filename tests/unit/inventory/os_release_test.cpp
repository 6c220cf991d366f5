#include "collectors/inventory/os_release.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "core/base/bounded_file.h"
#include "tests/support/test_data.h"
#include "tests/unit/inventory/lockfile_fixtures.h"

namespace patchparty::inventory {
namespace {

void write(const std::filesystem::path& file, std::string_view text) {
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

// What /bin/sh makes of the file: os-release is specified as sourceable shell, so the shell
// is the oracle for quoting. Fields are joined with an ASCII unit separator.
std::string shell_view(const std::filesystem::path& file) {
  return testing::command_output(
      ". '" + file.string() +
      "' && printf '%s\\037%s\\037%s\\037%s\\037%s\\037%s' \"$ID\" \"$VERSION_ID\" "
      "\"$VERSION_CODENAME\" \"$ID_LIKE\" \"$PRETTY_NAME\" \"$VERSION\"");
}

std::string our_view(const OsRelease& os) {
  return os.id + '\037' + os.version_id + '\037' + os.version_codename + '\037' + os.id_like +
         '\037' + os.pretty_name + '\037' + os.version;
}

std::string ecosystem_of(std::string_view text) {
  auto os = parse_os_release(text);
  if (!os) return "parse error: " + os.error().to_string();
  auto e = osv_ecosystem(*os);
  if (!e) return "error: " + e.error().to_string();
  return *e;
}

constexpr std::string_view kDebian12 =
    "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n"
    "NAME=\"Debian GNU/Linux\"\n"
    "VERSION_ID=\"12\"\n"
    "VERSION=\"12 (bookworm)\"\n"
    "VERSION_CODENAME=bookworm\n"
    "ID=debian\n"
    "HOME_URL=\"https://www.debian.org/\"\n"
    "SUPPORT_URL=\"https://www.debian.org/support\"\n"
    "BUG_REPORT_URL=\"https://bugs.debian.org/\"\n";

constexpr std::string_view kUbuntu2204 =
    "PRETTY_NAME=\"Ubuntu 22.04.3 LTS\"\n"
    "NAME=\"Ubuntu\"\n"
    "VERSION_ID=\"22.04\"\n"
    "VERSION=\"22.04.3 LTS (Jammy Jellyfish)\"\n"
    "VERSION_CODENAME=jammy\n"
    "ID=ubuntu\n"
    "ID_LIKE=debian\n"
    "HOME_URL=\"https://www.ubuntu.com/\"\n"
    "UBUNTU_CODENAME=jammy\n";

constexpr std::string_view kAlpine319 =
    "NAME=\"Alpine Linux\"\n"
    "ID=alpine\n"
    "VERSION_ID=3.19.1\n"
    "PRETTY_NAME=\"Alpine Linux v3.19\"\n"
    "HOME_URL=\"https://alpinelinux.org/\"\n"
    "BUG_REPORT_URL=\"https://gitlab.alpinelinux.org/alpine/aports/-/issues\"\n";

constexpr std::string_view kRhel93 =
    "NAME=\"Red Hat Enterprise Linux\"\n"
    "VERSION=\"9.3 (Plow)\"\n"
    "ID=\"rhel\"\n"
    "ID_LIKE=\"fedora\"\n"
    "VERSION_ID=\"9.3\"\n"
    "PLATFORM_ID=\"platform:el9\"\n"
    "PRETTY_NAME=\"Red Hat Enterprise Linux 9.3 (Plow)\"\n"
    "ANSI_COLOR=\"0;31\"\n"
    "LOGO=\"fedora-logo-icon\"\n"
    "CPE_NAME=\"cpe:/o:redhat:enterprise_linux:9::baseos\"\n";

TEST(OsRelease, Debian12) {
  auto os = parse_os_release(kDebian12);
  ASSERT_OK(os);
  EXPECT_EQ(os->id, "debian");
  EXPECT_EQ(os->version_id, "12");
  EXPECT_EQ(os->version_codename, "bookworm");
  EXPECT_EQ(os->pretty_name, "Debian GNU/Linux 12 (bookworm)");
  EXPECT_EQ(os->id_like, "");
  EXPECT_EQ(ecosystem_of(kDebian12), "Debian:12");
}

TEST(OsRelease, Ubuntu2204IsLts) {
  auto os = parse_os_release(kUbuntu2204);
  ASSERT_OK(os);
  EXPECT_EQ(os->id, "ubuntu");
  EXPECT_EQ(os->version_id, "22.04");
  EXPECT_EQ(os->id_like, "debian");
  EXPECT_EQ(os->version, "22.04.3 LTS (Jammy Jellyfish)");
  // osv-schema: "with a mandatory :LTS suffix if the release is marked as LTS".
  EXPECT_EQ(ecosystem_of(kUbuntu2204), "Ubuntu:22.04:LTS");
}

TEST(OsRelease, UbuntuInterimReleaseHasNoLtsSuffix) {
  EXPECT_EQ(ecosystem_of("ID=ubuntu\nVERSION_ID=\"23.10\"\nVERSION=\"23.10 (Mantic Minotaur)\"\n"),
            "Ubuntu:23.10");
  // Without VERSION, the even-year April rule decides.
  EXPECT_EQ(ecosystem_of("ID=ubuntu\nVERSION_ID=24.04\n"), "Ubuntu:24.04:LTS");
  EXPECT_EQ(ecosystem_of("ID=ubuntu\nVERSION_ID=23.04\n"), "Ubuntu:23.04");
}

TEST(OsRelease, AlpineUsesTheReleaseBranch) {
  auto os = parse_os_release(kAlpine319);
  ASSERT_OK(os);
  EXPECT_EQ(os->version_id, "3.19.1");
  EXPECT_EQ(ecosystem_of(kAlpine319), "Alpine:v3.19");
  EXPECT_EQ(ecosystem_of("ID=alpine\nVERSION_ID=3.20.0\n"), "Alpine:v3.20");
  EXPECT_EQ(ecosystem_of("ID=alpine\nVERSION_ID=3.8\n"), "Alpine:v3.8");
  auto edge = parse_os_release("ID=alpine\nVERSION_ID=3.21.0_alpha20240807\n");
  ASSERT_OK(edge);
  EXPECT_ERRC(osv_ecosystem(*edge), Errc::not_found);
}

TEST(OsRelease, RedHatAndRebuilds) {
  auto os = parse_os_release(kRhel93);
  ASSERT_OK(os);
  EXPECT_EQ(os->id, "rhel");
  EXPECT_EQ(os->version_id, "9.3");
  EXPECT_EQ(ecosystem_of(kRhel93), "Red Hat:enterprise_linux:9");
  EXPECT_EQ(ecosystem_of("ID=\"rocky\"\nVERSION_ID=\"9.3\"\n"), "Rocky Linux:9");
  EXPECT_EQ(ecosystem_of("ID=\"almalinux\"\nVERSION_ID=\"9.3\"\n"), "AlmaLinux:9");
  EXPECT_EQ(ecosystem_of("ID=\"rocky\"\nVERSION_ID=\"8\"\n"), "Rocky Linux:8");
}

TEST(OsRelease, SuseFamilyIsNamedAfterPrettyName) {
  EXPECT_EQ(ecosystem_of("NAME=\"openSUSE Leap\"\nVERSION=\"15.5\"\nID=\"opensuse-leap\"\n"
                         "ID_LIKE=\"suse opensuse\"\nVERSION_ID=\"15.5\"\n"
                         "PRETTY_NAME=\"openSUSE Leap 15.5\"\n"),
            "openSUSE:Leap 15.5");
  EXPECT_EQ(ecosystem_of("ID=\"opensuse-tumbleweed\"\nPRETTY_NAME=\"openSUSE Tumbleweed\"\n"),
            "openSUSE:Tumbleweed");
  EXPECT_EQ(ecosystem_of("ID=\"sles\"\nVERSION_ID=\"15.5\"\n"
                         "PRETTY_NAME=\"SUSE Linux Enterprise Server 15 SP5\"\n"),
            "SUSE:Linux Enterprise Server 15 SP5");
}

TEST(OsRelease, OtherKnownDistros) {
  EXPECT_EQ(ecosystem_of("ID=mageia\nVERSION_ID=9\n"), "Mageia:9");
  EXPECT_EQ(ecosystem_of("ID=photon\nVERSION_ID=5.0\n"), "Photon OS:5.0");
  EXPECT_EQ(ecosystem_of("ID=wolfi\nVERSION_ID=20230201\n"), "Wolfi");
  EXPECT_EQ(ecosystem_of("ID=chainguard\n"), "Chainguard");
}

TEST(OsRelease, DebianTestingAndSidAreUnscoped) {
  // Both carry the next release's codename and no VERSION_ID, so no release can be claimed.
  EXPECT_EQ(ecosystem_of("PRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\nNAME=\"Debian GNU/Linux\"\n"
                         "VERSION_CODENAME=trixie\nID=debian\n"),
            "Debian");
}

TEST(OsRelease, UnknownDistroIsNotFoundEvenWhenIdLikeIsKnown) {
  auto os = parse_os_release(
      "NAME=\"Linux Mint\"\nVERSION_ID=\"21.2\"\nID=linuxmint\nID_LIKE=\"ubuntu debian\"\n");
  ASSERT_OK(os);
  auto e = osv_ecosystem(*os);
  EXPECT_ERRC(e, Errc::not_found);
  EXPECT_NE(e.error().message.find("linuxmint"), std::string::npos);
  EXPECT_ERRC(osv_ecosystem(OsRelease{}), Errc::not_found);
}

TEST(OsRelease, MalformedVersionIdIsInvalidArgument) {
  for (std::string_view text :
       {"ID=debian\nVERSION_ID=12;rm\n", "ID=ubuntu\nVERSION_ID=22\n", "ID=alpine\nVERSION_ID=v3\n",
        "ID=rhel\nVERSION_ID=\n", "ID=rhel\nVERSION_ID=9.x\n", "ID=photon\nVERSION_ID=5.\n",
        "ID=sles\nPRETTY_NAME=Other\n"}) {
    auto os = parse_os_release(text);
    ASSERT_OK(os);
    EXPECT_ERRC(osv_ecosystem(*os), Errc::invalid_argument);
  }
}

// ---- syntax ------------------------------------------------------------------------------

constexpr std::string_view kTricky =
    "# comment line\n"
    "\n"
    "   # indented comment\n"
    "ID=deb\\ ian\n"
    "VERSION_ID=\"12\"   \n"
    "PRETTY_NAME=\"A \\\"quoted\\\" \\$HOME \\\\ back \\`tick\\` \\n kept\"\n"
    "VERSION_CODENAME='single $HOME \"x\" \\ kept'\n"
    "ID_LIKE=\"con\"'cat'enated\n"
    "VERSION=\"spans\n"
    "two lines\"\n"
    "not an assignment\n"
    "EMPTY=\n";

TEST(OsRelease, QuotingMatchesTheShell) {
  auto dir = testing::temp_dir("quoting");
  write(dir / "os-release", kTricky);
  auto os = parse_os_release(kTricky);
  ASSERT_OK(os);
  EXPECT_EQ(os->id, "deb ian");
  EXPECT_EQ(os->version_id, "12");
  EXPECT_EQ(os->pretty_name, "A \"quoted\" $HOME \\ back `tick` \\n kept");
  EXPECT_EQ(os->version_codename, "single $HOME \"x\" \\ kept");
  EXPECT_EQ(os->id_like, "concatenated");
  EXPECT_EQ(os->version, "spans\ntwo lines");
  // The line above is not valid shell, so the oracle gets the file without it.
  std::string shell_text(kTricky);
  shell_text.erase(shell_text.find("not an assignment\n"), 18);
  write(dir / "shell", shell_text);
  EXPECT_EQ(our_view(*os), shell_view(dir / "shell"));
}

TEST(OsRelease, CrlfAndLastLineWithoutNewline) {
  auto os = parse_os_release("ID=debian\r\nVERSION_ID=\"11\"\r\nVERSION_CODENAME=bullseye");
  ASSERT_OK(os);
  EXPECT_EQ(os->id, "debian");
  EXPECT_EQ(os->version_id, "11");
  EXPECT_EQ(os->version_codename, "bullseye");
}

TEST(OsRelease, LaterAssignmentWins) {
  auto os = parse_os_release("ID=first\nID=second\n");
  ASSERT_OK(os);
  EXPECT_EQ(os->id, "second");
}

TEST(OsRelease, UnterminatedQuoteIsDataLossNamingTheLine) {
  auto r = parse_os_release("ID=debian\nPRETTY_NAME=\"Debian\nVERSION_ID=12\n");
  EXPECT_ERRC(r, Errc::data_loss);
  EXPECT_NE(r.error().message.find("line 2"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("PRETTY_NAME"), std::string::npos) << r.error().message;
  EXPECT_ERRC(parse_os_release("ID='debian\n"), Errc::data_loss);
  EXPECT_ERRC(parse_os_release("ID=\"debian\\\""), Errc::data_loss);
}

TEST(OsRelease, GarbageNeverCrashes) {
  std::mt19937 rng(7);
  for (int i = 0; i < 500; ++i) {
    std::string bytes(static_cast<std::size_t>(rng() % 2048), '\0');
    for (auto& b : bytes) b = static_cast<char>(rng());
    auto os = parse_os_release(bytes);
    if (os) {
      (void)osv_ecosystem(*os);
    } else {
      EXPECT_EQ(os.error().code, Errc::data_loss);
    }
  }
}

// ---- files -------------------------------------------------------------------------------

TEST(OsRelease, ThisMachineAgreesWithTheShell) {
  auto os = read_os_release();
  ASSERT_OK(os);
  auto file =
      std::filesystem::exists("/etc/os-release") ? "/etc/os-release" : "/usr/lib/os-release";
  EXPECT_EQ(our_view(*os), shell_view(file));
  EXPECT_FALSE(os->id.empty());
  auto ecosystem = osv_ecosystem(*os);
  ASSERT_OK(ecosystem);
  if (os->id == "debian" && !os->version_id.empty()) {
    EXPECT_EQ(*ecosystem, "Debian:" + os->version_id);
  }
}

TEST(OsRelease, ReadsUnderARootPreferringEtc) {
  auto root = testing::temp_dir("root");
  EXPECT_ERRC(read_os_release(root), Errc::not_found);

  write(root / "usr/lib/os-release", kAlpine319);
  auto os = read_os_release(root);
  ASSERT_OK(os);
  EXPECT_EQ(os->id, "alpine");

  write(root / "etc/os-release", kUbuntu2204);
  os = read_os_release(root);
  ASSERT_OK(os);
  EXPECT_EQ(os->id, "ubuntu");

  write(root / "etc/os-release", "ID=\"broken\n");
  auto broken = read_os_release(root);
  EXPECT_ERRC(broken, Errc::data_loss);
  EXPECT_NE(broken.error().message.find((root / "etc/os-release").string()), std::string::npos);
}

TEST(OsRelease, OversizedFileIsRefused) {
  auto root = testing::temp_dir("big");
  write(root / "etc/os-release", "ID=debian\n" + std::string(1u << 20, '#') + "\n");
  EXPECT_ERRC(read_os_release(root), Errc::resource_exhausted);
}

}  // namespace
}  // namespace patchparty::inventory
