#include "collectors/inventory/rpmdb_ndb.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "collectors/inventory/rpm_db.h"
#include "tests/support/test_data.h"
#include "tests/unit/inventory/rpmdb_fixtures.h"

namespace patchparty::inventory {
namespace {

using rpmdb_fixtures::expected_lines;
using rpmdb_fixtures::header_line;
using rpmdb_fixtures::slurp;
using ::testing::HasSubstr;

Result<std::vector<std::string>> ndb_lines(std::string_view file) {
  std::vector<std::string> lines;
  PP_CHECK(read_ndb_packages(file, [&](std::uint32_t, std::string_view blob) -> Result<> {
    PP_TRY(header, parse_rpm_header(blob));
    if (header.name != "gpg-pubkey") lines.push_back(header_line(header));
    return {};
  }));
  std::sort(lines.begin(), lines.end());
  return lines;
}

Result<> read_all(std::string_view file) {
  return read_ndb_packages(file, [](std::uint32_t, std::string_view) -> Result<> { return {}; });
}

void expect_data_loss(const Result<>& r, std::string_view text) {
  ASSERT_FALSE(r.has_value()) << "expected an error containing: " << text;
  EXPECT_EQ(r.error().code, Errc::data_loss) << r.error().to_string();
  EXPECT_THAT(r.error().message, HasSubstr(std::string(text)));
}

std::uint32_t get32(const std::string& s, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}
void put32(std::string& s, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>(v >> (8 * i));
}

// sle15-bci's Packages.db: one slot page; slot 2 (at byte 32) holds package 1.
struct Sle15 {
  std::string bytes = slurp(testing::test_data("rpmdb/sle15-bci/Packages.db"));
  static constexpr std::size_t kSlot = 32;
  std::size_t blob_start() const { return std::size_t{get32(bytes, kSlot + 8)} * 16; }
  std::size_t blob_end() const { return blob_start() + std::size_t{get32(bytes, kSlot + 12)} * 16; }
};

TEST(ReadNdbPackages, RealDatabasesMatchTheUpstreamLists) {
  for (const auto& [folder, count] : std::vector<std::pair<std::string, std::size_t>>{
           {"sle15-bci", 35}, {"sle15-bci-2023", 36}}) {
    SCOPED_TRACE(folder);
    auto lines = ndb_lines(slurp(testing::test_data("rpmdb/" + folder + "/Packages.db")));
    ASSERT_OK(lines);
    const auto expected = expected_lines(folder);
    EXPECT_EQ(*lines, expected);
    EXPECT_EQ(lines->size(), expected.size());
    EXPECT_LE(lines->size(), count);
  }
}

TEST(ReadNdbPackages, HandsOutPackageIndexesAsHeaderNumbers) {
  const Sle15 db;
  std::vector<std::uint32_t> seen;
  ASSERT_OK(read_ndb_packages(db.bytes, [&](std::uint32_t hnum, std::string_view) -> Result<> {
    seen.push_back(hnum);
    return {};
  }));
  ASSERT_EQ(seen.size(), 35u);
  EXPECT_EQ(seen.front(), 1u);
}

TEST(ReadNdbPackages, TruncatedFilesAreDataLoss) {
  const Sle15 db;
  for (std::size_t size : {std::size_t{0}, std::size_t{4}, std::size_t{31}, std::size_t{4095},
                           std::size_t{4096 + 100}, db.bytes.size() / 2, db.bytes.size() - 1}) {
    SCOPED_TRACE(size);
    expect_data_loss(read_all(std::string_view(db.bytes).substr(0, size)), "ndb: ");
  }
  expect_data_loss(read_all(std::string_view(db.bytes).substr(0, 100)),
                   "1 slot pages in a file of 100 bytes");
}

TEST(ReadNdbPackages, ChecksumMismatchIsDataLoss) {
  Sle15 db;
  db.bytes[db.blob_start() + 100] ^= 0x01;
  expect_data_loss(read_all(db.bytes), "package 1: blob checksum mismatch");
}

TEST(ReadNdbPackages, SlotBeyondTheFileIsDataLoss) {
  Sle15 db;
  put32(db.bytes, Sle15::kSlot + 8, 0x0fffffff);
  expect_data_loss(read_all(db.bytes), "slot 2 (package 1): blob at block 268435455");
  Sle15 in_slots;
  put32(in_slots.bytes, Sle15::kSlot + 8, 10);  // inside the slot pages
  expect_data_loss(read_all(in_slots.bytes), "lies outside");
}

TEST(ReadNdbPackages, BlobLengthBeyondItsBlocksIsDataLoss) {
  Sle15 db;
  put32(db.bytes, db.blob_start() + 12, 0x7fffff00);
  expect_data_loss(read_all(db.bytes), "package 1: blob of 2147483392 bytes does not fit");
  Sle15 tail;
  put32(tail.bytes, tail.blob_end() - 8, 12);  // the length repeated in the tail
  expect_data_loss(read_all(tail.bytes), "package 1: blob tail does not close the blob");
}

TEST(ReadNdbPackages, OverlappingBlobsAreDataLoss) {
  Sle15 db;
  put32(db.bytes, Sle15::kSlot + 16 + 8, get32(db.bytes, Sle15::kSlot + 8));  // slot 3 on slot 2's
  expect_data_loss(read_all(db.bytes), "overlap");
}

TEST(ReadNdbPackages, BadMagicNumbersAreDataLoss) {
  Sle15 slot;
  slot.bytes[Sle15::kSlot + 16] = 'X';
  expect_data_loss(read_all(slot.bytes), "slot 3: no Slot magic");
  Sle15 blob;
  blob.bytes[blob.blob_start()] = 'X';
  expect_data_loss(read_all(blob.bytes), "package 1: no BlbS magic");
  Sle15 owner;
  put32(owner.bytes, owner.blob_start() + 4, 7);
  expect_data_loss(read_all(owner.bytes), "package 1: its blob names package 7");
  Sle15 version;
  put32(version.bytes, 4, 1);
  EXPECT_ERRC(read_all(version.bytes), Errc::failed_precondition);
}

TEST(ReadNdbPackages, FlippedBytesNeverCrash) {
  const Sle15 db;
  for (std::size_t i = 0; i < 4096; i += 7) {
    std::string b = db.bytes;
    b[i] = static_cast<char>(b[i] ^ 0xff);
    auto r = ndb_lines(b);
    if (!r) {
      EXPECT_TRUE(r.error().code == Errc::data_loss || r.error().code == Errc::failed_precondition)
          << r.error().to_string();
    }
  }
}

}  // namespace
}  // namespace patchparty::inventory
