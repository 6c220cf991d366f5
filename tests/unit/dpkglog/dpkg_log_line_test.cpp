#include "collectors/dpkglog/dpkg_log_line.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>

#include "tests/support/test_data.h"

namespace patchparty::dpkglog {
namespace {

// dpkg writes local time; these tests read it as UTC so the expected instants are fixed.
class DpkgLogLine : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ::setenv("TZ", "UTC", 1);
    ::tzset();
  }
};

DpkgLogEntry parsed(std::string_view line) {
  auto r = parse_dpkg_log_line(line);
  EXPECT_TRUE(r.has_value()) << r.error().to_string();
  EXPECT_TRUE(r && r->has_value()) << line;
  return r && *r ? **r : DpkgLogEntry{};
}

TEST_F(DpkgLogLine, ReadsUpgradeInstallAndRemove) {
  auto up =
      parsed("2025-06-24 14:36:25 upgrade libsystemd0:amd64 252.36-1~deb12u1 252.38-1~deb12u1");
  EXPECT_EQ(up.at, 1750775785);
  EXPECT_EQ(up.action, "upgrade");
  EXPECT_EQ(up.package, "libsystemd0");
  EXPECT_EQ(up.arch, "amd64");
  EXPECT_EQ(up.old_version, "252.36-1~deb12u1");
  EXPECT_EQ(up.new_version, "252.38-1~deb12u1");

  auto in = parsed("2026-05-09 07:28:46 install jq:amd64 <none> 1.6-2.1");
  EXPECT_EQ(in.action, "install");
  EXPECT_EQ(in.old_version, "");
  EXPECT_EQ(in.new_version, "1.6-2.1");

  auto rm = parsed("2026-05-09 07:30:00 remove libjq1:amd64 1.6-2.1 <none>");
  EXPECT_EQ(rm.action, "remove");
  EXPECT_EQ(rm.old_version, "1.6-2.1");
  EXPECT_EQ(rm.new_version, "");
}

TEST_F(DpkgLogLine, IgnoresStatusAndOtherActions) {
  for (std::string_view line : {
           "2025-06-24 14:36:25 status half-configured libsystemd0:amd64 252.38-1~deb12u1",
           "2025-06-24 14:36:25 configure libsystemd0:amd64 252.38-1~deb12u1 <none>",
           "2025-06-24 14:36:25 trigproc libc-bin:amd64 2.36-9+deb12u10 <none>",
           "2025-06-24 14:36:24 startup archives unpack",
           "2025-06-24 14:36:24 startup packages configure",
           "2025-06-24 14:36:24 conffile /etc/foo.conf keep",
           "2025-06-24 14:36:24 purge jq:amd64 1.6-2.1 <none>",
           "",
           "garbage",
       }) {
    auto r = parse_dpkg_log_line(line);
    ASSERT_TRUE(r.has_value()) << line << ": " << r.error().to_string();
    EXPECT_FALSE(r->has_value()) << line;
  }
}

TEST_F(DpkgLogLine, OddButValidLines) {
  // Old dpkg wrote no architecture; a CR from a copied file; epochs and tildes.
  auto old = parsed("2010-01-02 03:04:05 upgrade bash 4.0-1 4.1-2");
  EXPECT_EQ(old.package, "bash");
  EXPECT_EQ(old.arch, "");
  auto cr = parsed("2025-06-24 14:36:25 upgrade tzdata:all 2025b-0+deb12u1 2025b-0+deb12u2\r");
  EXPECT_EQ(cr.new_version, "2025b-0+deb12u2");
  auto epoch = parsed("2025-06-24 14:36:25 upgrade libfoo:i386 1:2.0 1:2.0~rc1");
  EXPECT_EQ(epoch.arch, "i386");
  EXPECT_EQ(epoch.new_version, "1:2.0~rc1");
  // conffiles-only package installed again: dpkg states the old version on an install line.
  auto again = parsed("2025-06-24 14:36:25 install nginx:amd64 1.22.1-9 1.22.1-9+deb12u1");
  EXPECT_EQ(again.old_version, "1.22.1-9");
}

TEST_F(DpkgLogLine, RefusesMalformedActionLines) {
  for (std::string_view line : {
           "2025-06-24 14:36:25 upgrade libfoo:amd64 1.0",
           "2025-06-24 14:36:25 upgrade libfoo:amd64 1.0 2.0 extra",
           "2025-13-24 14:36:25 upgrade libfoo:amd64 1.0 2.0",
           "2025-06-24 25:36:25 upgrade libfoo:amd64 1.0 2.0",
           "24-06-2025 14:36:25 upgrade libfoo:amd64 1.0 2.0",
           "2025-06-24 14:36:25 upgrade libfoo:amd64 <none> 2.0",
           "2025-06-24 14:36:25 install libfoo:amd64 <none> <none>",
           "2025-06-24 14:36:25 remove libfoo:amd64 <none> <none>",
           "2025-06-24 14:36:25 upgrade :amd64 1.0 2.0",
           "2025-06-24 14:36:25 upgrade lib\x01foo:amd64 1.0 2.0",
       }) {
    auto r = parse_dpkg_log_line(line);
    EXPECT_FALSE(r.has_value()) << line;
    if (!r) {
      EXPECT_EQ(r.error().code, Errc::invalid_argument);
    }
  }
  std::string long_line = "2025-06-24 14:36:25 upgrade libfoo:amd64 1.0 " + std::string(5000, '9');
  EXPECT_FALSE(parse_dpkg_log_line(long_line).has_value());
}

TEST_F(DpkgLogLine, UpgradeLineToAnOlderVersionIsADowngradeByDpkgOrder) {
  // 1:2.0 has an epoch, so it is newer than 2.0~rc1 and far newer than 2.0~rc1 without one.
  auto down =
      to_patch_event(parsed("2025-06-24 14:36:25 upgrade libfoo:amd64 1:2.0 2.0~rc1"), "Debian:12");
  ASSERT_TRUE(down);
  EXPECT_EQ(down->kind, events::Kind::downgrade);
  EXPECT_EQ(down->origin, events::Origin::dpkg_log);
  EXPECT_EQ(down->ecosystem, "Debian:12");
  EXPECT_EQ(down->arch, "amd64");
  auto up =
      to_patch_event(parsed("2025-06-24 14:36:25 upgrade libfoo:amd64 2.0~rc1 2.0"), "Debian:12");
  ASSERT_TRUE(up);
  EXPECT_EQ(up->kind, events::Kind::upgrade);
  EXPECT_EQ(up->from_version, "2.0~rc1");
  EXPECT_EQ(up->to_version, "2.0");
  auto rm = to_patch_event(parsed("2025-06-24 14:36:25 remove libfoo:amd64 2.0 <none>"), "Debian");
  ASSERT_TRUE(rm);
  EXPECT_EQ(rm->kind, events::Kind::remove);
  EXPECT_EQ(rm->to_version, "");
  EXPECT_FALSE(to_patch_event(parsed("2025-06-24 14:36:25 upgrade libfoo:amd64 2.0 2.0"), "Debian"))
      << "a reinstall is not a patch";
  auto in = to_patch_event(parsed("2025-06-24 14:36:25 install jq:amd64 <none> 1.6-2.1"), "Debian");
  ASSERT_TRUE(in);
  EXPECT_EQ(in->kind, events::Kind::install);
  EXPECT_OK(events::validate_event(*in));
}

// This host's own dpkg.log: every upgrade/install/remove line is read, and nothing else is.
TEST_F(DpkgLogLine, ReadsThisHostsLog) {
  std::ifstream in("/var/log/dpkg.log");
  ASSERT_TRUE(in) << "/var/log/dpkg.log: a Debian host that installed anything has one";
  std::string line;
  std::size_t lines = 0, entries = 0, expected = 0;
  while (std::getline(in, line)) {
    ++lines;
    std::istringstream fields(line);
    std::string date, time, action;
    fields >> date >> time >> action;
    if (action == "upgrade" || action == "install" || action == "remove") ++expected;
    auto r = parse_dpkg_log_line(line);
    ASSERT_TRUE(r.has_value()) << line << ": " << r.error().to_string();
    if (*r) {
      ++entries;
      auto e = to_patch_event(**r, "Debian:12");
      if (e) {
        EXPECT_OK(events::validate_event(*e)) << line;
      }
    }
  }
  EXPECT_GT(lines, 0u);
  EXPECT_GT(expected, 0u);
  EXPECT_EQ(entries, expected);
}

}  // namespace
}  // namespace patchparty::dpkglog
