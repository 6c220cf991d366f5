#include "collectors/inventory/rpmdb_format.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/support/test_data.h"
#include "tests/unit/inventory/rpmdb_fixtures.h"

namespace patchparty::inventory {
namespace {

using rpmdb_fixtures::slurp;
using ::testing::HasSubstr;

std::string head(const std::string& relative) {
  return slurp(testing::test_data("rpmdb/" + relative)).substr(0, kRpmdbMagicBytes);
}

TEST(DetectRpmdbFormat, TellsTheRealDatabasesApart) {
  for (const auto& [file, format] : std::vector<std::pair<std::string, RpmdbFormat>>{
           {"cbl-mariner-2.0/rpmdb.sqlite", RpmdbFormat::sqlite},
           {"bad-schema-sqlite/rpmdb.sqlite", RpmdbFormat::sqlite},
           {"sle15-bci/Packages.db", RpmdbFormat::ndb},
           {"libuuid-el8/Packages", RpmdbFormat::bdb_hash},
           {"rpm4-empty-bdb/rpm4_empty", RpmdbFormat::bdb_hash},
           {"fedora32-hello-epoch-bdb/Packages_epoch", RpmdbFormat::bdb_hash}}) {
    SCOPED_TRACE(file);
    auto r = detect_rpmdb_format(head(file));
    ASSERT_OK(r);
    EXPECT_EQ(*r, format) << rpmdb_format_name(*r);
  }
}

TEST(DetectRpmdbFormat, ReadsBerkeleyDbMagicInEitherByteOrder) {
  std::string big(32, '\0');
  big[13] = 0x06;
  big[14] = 0x15;
  big[15] = 0x61;
  auto r = detect_rpmdb_format(big);
  ASSERT_OK(r);
  EXPECT_EQ(*r, RpmdbFormat::bdb_hash);
}

TEST(DetectRpmdbFormat, BtreeIsNoRpmdb) {
  auto r = detect_rpmdb_format(head("bad-btree-bdb/Packages"));
  EXPECT_ERRC(r, Errc::failed_precondition);
  EXPECT_THAT(r.error().message, HasSubstr("Berkeley DB Btree database, not an rpm Packages"));
}

TEST(DetectRpmdbFormat, UnknownBytesAreNoRpmdb) {
  auto r = detect_rpmdb_format(std::string(32, 'x'));
  EXPECT_ERRC(r, Errc::failed_precondition);
  EXPECT_THAT(r.error().message, HasSubstr("first bytes 78787878"));
  EXPECT_ERRC(detect_rpmdb_format(""), Errc::failed_precondition);
  EXPECT_ERRC(detect_rpmdb_format("SQLite format 3"), Errc::failed_precondition);
}

}  // namespace
}  // namespace patchparty::inventory
