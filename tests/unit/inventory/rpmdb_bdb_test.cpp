#include "collectors/inventory/rpmdb_bdb.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "collectors/inventory/rpm_db.h"
#include "tests/support/bdb_rpmdb.h"
#include "tests/support/test_data.h"
#include "tests/unit/inventory/rpmdb_fixtures.h"

namespace patchparty::inventory {
namespace {

namespace fs = std::filesystem;
using rpmdb_fixtures::expected_lines;
using rpmdb_fixtures::header_line;
using rpmdb_fixtures::slurp;
using ::testing::HasSubstr;

constexpr std::size_t kPage = 4096;  // the page size of every BDB file used here

// The sorted package lines of a Berkeley DB file, gpg-pubkey left out as RpmDb does.
Result<std::vector<std::string>> bdb_lines(std::string_view file) {
  std::vector<std::string> lines;
  PP_CHECK(read_bdb_hash_packages(file, [&](std::uint32_t, std::string_view blob) -> Result<> {
    PP_TRY(header, parse_rpm_header(blob));
    if (header.name != "gpg-pubkey") lines.push_back(header_line(header));
    return {};
  }));
  std::sort(lines.begin(), lines.end());
  return lines;
}

void expect_data_loss(const Result<>& r, std::string_view text) {
  ASSERT_FALSE(r.has_value()) << "expected an error containing: " << text;
  EXPECT_EQ(r.error().code, Errc::data_loss) << r.error().to_string();
  EXPECT_THAT(r.error().message, HasSubstr(std::string(text)));
}

Result<> read_all(std::string_view file) {
  return read_bdb_hash_packages(file,
                                [](std::uint32_t, std::string_view) -> Result<> { return {}; });
}

std::uint32_t get32(const std::string& s, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[at + i]);
  return v;
}
std::uint16_t get16(const std::string& s, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(s[at]) |
                                    static_cast<unsigned char>(s[at + 1]) << 8);
}
void put32(std::string& s, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>(v >> (8 * i));
}
void put16(std::string& s, std::size_t at, std::uint16_t v) {
  s[at] = static_cast<char>(v);
  s[at + 1] = static_cast<char>(v >> 8);
}

// libuuid-el8's layout, as Berkeley DB wrote it: page 1 holds rpm's counter (key 0), page 2 the
// package's key and an overflow reference to the chain on pages 3 to 22.
struct Libuuid {
  std::string bytes = slurp(testing::test_data("rpmdb/libuuid-el8/Packages"));
  static constexpr std::size_t kHashPage = 2 * kPage;
  std::size_t data_item() const { return kHashPage + get16(bytes, kHashPage + 26 + 2); }
};

TEST(ReadBdbHashPackages, RealDatabasesMatchRpm) {
  for (const auto& [folder, file] : std::vector<std::pair<std::string, std::string>>{
           {"libuuid-el8", "Packages"},
           {"ubi8-tzdata-bdb", "Packages"},
           {"centos-dive-bdb", "Packages"},
           {"fedora32-hello-epoch-bdb", "Packages_epoch"}}) {
    SCOPED_TRACE(folder);
    auto lines = bdb_lines(slurp(testing::test_data("rpmdb/" + folder + "/" + file)));
    ASSERT_OK(lines);
    EXPECT_EQ(*lines, expected_lines(folder));
    EXPECT_EQ(lines->size(), 1u);
  }
}

TEST(ReadBdbHashPackages, EmptyDatabaseHoldsNoPackages) {
  // rpm 4.18's bdb_ro prints "error reading Packages database" here and lists nothing; the
  // file is what `rpmdb --initdb` leaves, a valid database with no records, so no error.
  auto lines = bdb_lines(slurp(testing::test_data("rpmdb/rpm4-empty-bdb/rpm4_empty")));
  ASSERT_OK(lines);
  EXPECT_TRUE(lines->empty());
}

TEST(ReadBdbHashPackages, BtreeIsRefused) {
  expect_data_loss(read_all(slurp(testing::test_data("rpmdb/bad-btree-bdb/Packages"))),
                   "no Berkeley DB hash magic");
}

// rpm --dbpath DIR -qa over a Berkeley DB Packages with its read-only bdb backend, sorted, as
// expected-packages.tsv was made; gpg-pubkey left out.
std::vector<std::string> rpm_bdb_query(const fs::path& db_dir) {
  const std::string command =
      "rpm --dbpath '" + db_dir.string() +
      "' --define '_db_backend bdb_ro' -qa --qf "
      "'%{NAME}\\t%{EPOCHNUM}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\n' 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "popen: " << command;
    return {};
  }
  std::string out;
  char buf[4096];
  while (std::size_t n = std::fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  const int status = ::pclose(pipe);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << command;
  std::vector<std::string> lines;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);)
    if (!line.starts_with("gpg-pubkey\t")) lines.push_back(line);
  std::sort(lines.begin(), lines.end());
  return lines;
}

std::size_t pages_of_type(const std::string& file, std::uint8_t type) {
  std::size_t n = 0;
  for (std::size_t at = kPage; at + kPage <= file.size(); at += kPage)
    n += static_cast<unsigned char>(file[at + 25]) == type;
  return n;
}

TEST(ReadBdbHashPackages, LargeDatabasesMadeByBerkeleyDbMatchRpmAndTheSqliteSource) {
  struct Case {
    std::string folder;
    std::size_t count;
    std::string load_config;  // db_load -c: Berkeley DB's defaults, or one bucket a key
    std::size_t min_hash_pages;
  };
  for (const Case& c : std::vector<Case>{{"cbl-mariner-2.0", 129, "", 1},
                                         {"amazonlinux2023-plain", 103, "", 1},
                                         {"cbl-mariner-2.0", 129, "h_ffactor=1", 64}}) {
    const std::string& folder = c.folder;
    const std::size_t count = c.count;
    SCOPED_TRACE(folder + " " + c.load_config);
    const fs::path dir = testing::temp_dir("bdb");
    auto blobs =
        testing::sqlite_header_blobs(testing::test_data("rpmdb/" + folder + "/rpmdb.sqlite"));
    ASSERT_OK(blobs);
    ASSERT_EQ(blobs->size(), count);
    ASSERT_OK(testing::write_bdb_packages(*blobs, dir / "Packages", c.load_config));
    const std::string bytes = slurp(dir / "Packages");
    // Blobs spread over chains of overflow pages; with one bucket a key, many hash pages.
    EXPECT_GE(pages_of_type(bytes, 13), c.min_hash_pages);
    EXPECT_GT(pages_of_type(bytes, 7), 3 * count);

    std::size_t visited = 0;
    auto read = read_bdb_hash_packages(bytes, [&](std::uint32_t hnum, std::string_view blob) {
      auto it =
          std::find_if(blobs->begin(), blobs->end(), [&](const auto& b) { return b.hnum == hnum; });
      if (it == blobs->end()) {
        ADD_FAILURE() << "header " << hnum << " is not in the source";
      } else {
        EXPECT_TRUE(blob == it->blob) << "header " << hnum;
      }
      ++visited;
      return Result<>{};
    });
    ASSERT_OK(read);
    EXPECT_EQ(visited, count);

    auto lines = bdb_lines(bytes);
    ASSERT_OK(lines);
    const auto rpm = rpm_bdb_query(dir);
    EXPECT_EQ(rpm.size(), expected_lines(folder).size());
    EXPECT_EQ(*lines, rpm);
    EXPECT_EQ(*lines, expected_lines(folder));
    // The whole path: RpmDb over the Berkeley DB file and over its SQLite source.
    auto from_bdb = RpmDb("Red Hat", dir / "Packages").scan();
    auto from_sqlite =
        RpmDb("Red Hat", testing::test_data("rpmdb/" + folder + "/rpmdb.sqlite")).scan();
    ASSERT_OK(from_bdb);
    ASSERT_OK(from_sqlite);
    EXPECT_EQ(rpmdb_fixtures::package_lines(*from_bdb),
              rpmdb_fixtures::package_lines(*from_sqlite));
    EXPECT_EQ(rpmdb_fixtures::package_lines(*from_bdb), *lines);
    fs::remove_all(dir);
  }
}

// A big-endian machine's file (s390x, ppc64): Berkeley DB writes its own fields, and rpm its
// keys, in the creating host's byte order. Made here by swapping every field of a real file.
std::string byte_swapped(std::string file) {
  auto swap32 = [&](std::size_t at) { std::reverse(file.begin() + at, file.begin() + at + 4); };
  auto swap16 = [&](std::size_t at) { std::swap(file[at], file[at + 1]); };
  const std::size_t pages = get32(file, 32) + 1;  // read before swapping
  for (std::size_t at : {8, 12, 16, 20, 28, 32}) swap32(at);
  for (std::size_t pgno = 1; pgno < pages; ++pgno) {
    const std::size_t page = pgno * kPage;
    const auto type = static_cast<unsigned char>(file[page + 25]);
    const std::uint16_t entries = get16(file, page + 20);
    std::vector<std::size_t> items;
    for (std::size_t i = 0; type == 13 && i < entries; ++i)
      items.push_back(page + get16(file, page + 26 + 2 * i));
    for (std::size_t at : {8, 12, 16}) swap32(page + at);
    swap16(page + 20);
    swap16(page + 22);
    for (std::size_t i = 0; i < items.size(); ++i) {
      swap16(page + 26 + 2 * i);
      if (i % 2 == 0) {
        swap32(items[i] + 1);  // the key
      } else if (file[items[i]] == 3) {
        swap32(items[i] + 4);
        swap32(items[i] + 8);
      }
    }
  }
  return file;
}

TEST(ReadBdbHashPackages, ReadsBigEndianFiles) {
  const std::string big = byte_swapped(slurp(testing::test_data("rpmdb/libuuid-el8/Packages")));
  ASSERT_EQ(big.substr(12, 4), std::string("\x00\x06\x15\x61", 4));
  std::vector<std::uint32_t> keys;
  ASSERT_OK(read_bdb_hash_packages(big, [&](std::uint32_t hnum, std::string_view) -> Result<> {
    keys.push_back(hnum);
    return {};
  }));
  auto lines = bdb_lines(big);
  ASSERT_OK(lines);
  EXPECT_EQ(*lines, expected_lines("libuuid-el8"));
  auto little = bdb_lines(slurp(testing::test_data("rpmdb/libuuid-el8/Packages")));
  ASSERT_OK(little);
  EXPECT_EQ(*lines, *little);
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_LT(keys[0], 0x10000u) << "the key is read in the file's byte order";
}

TEST(ReadBdbHashPackages, TruncatedFilesAreDataLoss) {
  const Libuuid db;
  for (std::size_t size : {std::size_t{0}, std::size_t{16}, std::size_t{71}, kPage, 2 * kPage + 100,
                           5 * kPage, db.bytes.size() - kPage, db.bytes.size() - 1}) {
    SCOPED_TRACE(size);
    expect_data_loss(read_all(std::string_view(db.bytes).substr(0, size)), "");
  }
  expect_data_loss(read_all(std::string_view(db.bytes).substr(0, 5 * kPage)),
                   "is truncated: its last page 22 ends at byte 94208");
}

TEST(ReadBdbHashPackages, PageNumberOutOfRangeIsDataLoss) {
  Libuuid db;
  ASSERT_OK(read_all(db.bytes));
  ASSERT_EQ(db.bytes[db.data_item()], 3) << "an overflow reference";
  put32(db.bytes, db.data_item() + 4, 999);
  expect_data_loss(read_all(db.bytes),
                   "page 2: item 1: overflow chain reaches page 999, beyond the last page 22");
}

TEST(ReadBdbHashPackages, OverflowChainThatLoopsIsDataLoss) {
  Libuuid db;
  put32(db.bytes, 10 * kPage + 16, 5);  // page 10's next page: back to 5
  expect_data_loss(read_all(db.bytes), "overflow chain from page 3 loops back to page 5");
  put32(db.bytes, 10 * kPage + 16, 10);  // to itself
  expect_data_loss(read_all(db.bytes), "loops back to page 10");
}

TEST(ReadBdbHashPackages, RecordLengthBeyondItsPagesIsDataLoss) {
  Libuuid db;
  const std::uint32_t total = get32(db.bytes, db.data_item() + 8);
  put32(db.bytes, db.data_item() + 8, total + 1);
  expect_data_loss(read_all(db.bytes), "overflow chain holds " + std::to_string(total) +
                                           " of the record's " + std::to_string(total + 1));
  put32(db.bytes, db.data_item() + 8, 0x7fffffff);
  expect_data_loss(read_all(db.bytes), "more than the file can hold");
  put32(db.bytes, db.data_item() + 8, total - 1);
  expect_data_loss(read_all(db.bytes), "overflow chain holds more than the record's");
}

TEST(ReadBdbHashPackages, OverflowPageLongerThanAPageIsDataLoss) {
  Libuuid db;
  put16(db.bytes, 7 * kPage + 22, 5000);
  expect_data_loss(read_all(db.bytes),
                   "overflow page 7 says it holds 5000 bytes, more than a page");
}

TEST(ReadBdbHashPackages, ItemBeyondThePageIsDataLoss) {
  Libuuid db;
  put16(db.bytes, Libuuid::kHashPage + 26 + 2, 5000);
  expect_data_loss(read_all(db.bytes), "page 2: item 1: offset 5000 outside the page's item area");
  Libuuid overlapping;
  put16(overlapping.bytes, Libuuid::kHashPage + 26, 20);  // item 0 inside the index
  expect_data_loss(read_all(overlapping.bytes), "page 2: item 0: offset 20 outside");
  Libuuid too_many;
  put16(too_many.bytes, Libuuid::kHashPage + 20, 4000);
  expect_data_loss(read_all(too_many.bytes), "page 2: 4000 entries do not fit the page");
}

TEST(ReadBdbHashPackages, MisplacedPagesAreDataLoss) {
  Libuuid db;
  put32(db.bytes, Libuuid::kHashPage + 8, 7);
  expect_data_loss(read_all(db.bytes), "page 2: says it is page 7");
  Libuuid wrong_type;
  wrong_type.bytes[9 * kPage + 25] = 13;  // an overflow page turned into a hash page
  expect_data_loss(read_all(wrong_type.bytes), "");
  Libuuid relinked;
  put32(relinked.bytes, 9 * kPage + 12, 3);  // page 9 claims page 3 precedes it
  expect_data_loss(read_all(relinked.bytes), "overflow page 9 is not linked where it is found");
}

TEST(ReadBdbHashPackages, SharedOverflowPagesAreDataLoss) {
  // Two records on one chain would let a small file make the reader copy it many times over.
  const fs::path dir = testing::temp_dir("shared");
  auto blobs =
      testing::sqlite_header_blobs(testing::test_data("rpmdb/amazonlinux2023-plain/rpmdb.sqlite"));
  ASSERT_OK(blobs);
  blobs->resize(2);
  ASSERT_OK(testing::write_bdb_packages(*blobs, dir / "Packages"));
  std::string bytes = slurp(dir / "Packages");
  ASSERT_OK(read_all(bytes));
  // Point every overflow reference at the first chain found.
  std::uint32_t first_chain = 0;
  for (std::size_t at = kPage; at + kPage <= bytes.size(); at += kPage) {
    if (static_cast<unsigned char>(bytes[at + 25]) != 13) continue;
    for (std::size_t i = 1; i < get16(bytes, at + 20); i += 2) {
      const std::size_t item = at + get16(bytes, at + 26 + 2 * i);
      if (bytes[item] != 3) continue;
      if (first_chain == 0) first_chain = get32(bytes, item + 4);
      put32(bytes, item + 4, first_chain);
    }
  }
  ASSERT_NE(first_chain, 0u);
  expect_data_loss(read_all(bytes), "overflow page " + std::to_string(first_chain) +
                                        " is on another record's chain too");
  fs::remove_all(dir);
}

TEST(ReadBdbHashPackages, FeaturesRpmNeverUsesAreFailedPrecondition) {
  Libuuid encrypted;
  encrypted.bytes[24] = 1;
  EXPECT_ERRC(read_all(encrypted.bytes), Errc::failed_precondition);
  Libuuid checksummed;
  checksummed.bytes[26] = 1;
  EXPECT_ERRC(read_all(checksummed.bytes), Errc::failed_precondition);
  Libuuid duplicates;
  duplicates.bytes[duplicates.data_item()] = 2;
  EXPECT_ERRC(read_all(duplicates.bytes), Errc::failed_precondition);
  Libuuid old_version;
  put32(old_version.bytes, 16, 5);
  EXPECT_ERRC(read_all(old_version.bytes), Errc::failed_precondition);
}

TEST(ReadBdbHashPackages, FlippedBytesNeverCrash) {
  // Every 61st byte of a real file, XOR 0xff: each read either succeeds or fails with an Error.
  const Libuuid db;
  for (std::size_t i = 0; i < db.bytes.size(); i += 61) {
    std::string b = db.bytes;
    b[i] = static_cast<char>(b[i] ^ 0xff);
    auto r = bdb_lines(b);
    if (!r) {
      EXPECT_TRUE(r.error().code == Errc::data_loss || r.error().code == Errc::failed_precondition)
          << r.error().to_string();
    }
  }
}

}  // namespace
}  // namespace patchparty::inventory
