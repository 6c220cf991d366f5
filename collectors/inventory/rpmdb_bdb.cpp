#include "collectors/inventory/rpmdb_bdb.h"

#include <cstdint>
#include <string>
#include <vector>

namespace patchparty::inventory {

namespace {

// The layout Berkeley DB 4.x and 5.x write (dbinc/db_page.h in their sources).
constexpr std::uint32_t kHashMagic = 0x061561;
constexpr std::size_t kMetaBytes = 72;  // the generic metadata header every access method shares
constexpr std::size_t kPageHeaderBytes = 26;
constexpr std::uint8_t kPageInvalid = 0;  // a free page, or one never written in a sparse file
constexpr std::uint8_t kPageHashUnsorted = 2;
constexpr std::uint8_t kPageOverflow = 7;
constexpr std::uint8_t kPageHashMeta = 8;
constexpr std::uint8_t kPageHash = 13;
constexpr std::uint8_t kItemKeyData = 1;
constexpr std::uint8_t kItemDuplicate = 2;
constexpr std::uint8_t kItemOffPage = 3;
constexpr std::uint8_t kItemOffDuplicate = 4;
constexpr std::size_t kOffPageItemBytes = 12;  // type, 3 unused, page number, total length
constexpr std::uint8_t kMetaFlagChecksum = 0x01;

class Reader {
 public:
  Reader(std::string_view file, bool big_endian) : file_(file), big_(big_endian) {}

  std::uint32_t u32(std::size_t at) const {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const auto b = static_cast<std::uint32_t>(static_cast<unsigned char>(file_[at + i]));
      v |= big_ ? b << (24 - 8 * i) : b << (8 * i);
    }
    return v;
  }
  std::uint16_t u16(std::size_t at) const {
    const auto a = static_cast<unsigned char>(file_[at]);
    const auto b = static_cast<unsigned char>(file_[at + 1]);
    return static_cast<std::uint16_t>(big_ ? (a << 8) | b : (b << 8) | a);
  }
  std::uint8_t u8(std::size_t at) const { return static_cast<unsigned char>(file_[at]); }

 private:
  std::string_view file_;
  bool big_;
};

Error corrupt(std::string message) {
  return Error{Errc::data_loss, "bdb: " + std::move(message)};
}

std::string page_name(std::uint32_t pgno) {
  return "page " + std::to_string(pgno);
}

class HashFile {
 public:
  HashFile(std::string_view file, Reader r, std::uint32_t page_size, std::uint32_t pages)
      : file_(file), r_(r), page_size_(page_size), pages_(pages), chain_of_(pages, 0) {}

  Result<> visit_all(const RpmdbBlobVisitor& visit) {
    std::string blob;
    for (std::uint32_t pgno = 1; pgno < pages_; ++pgno) {
      const std::size_t page = std::size_t{pgno} * page_size_;
      const std::uint8_t type = r_.u8(page + 25);
      // Overflow pages are read through the chains that own them; free and never-written pages
      // hold nothing.
      if (type == kPageInvalid || type == kPageOverflow) continue;
      if (type != kPageHash && type != kPageHashUnsorted)
        return tl::make_unexpected(corrupt(page_name(pgno) + ": page type " + std::to_string(type) +
                                           " in a hash database"));
      if (r_.u32(page + 8) != pgno)
        return tl::make_unexpected(
            corrupt(page_name(pgno) + ": says it is page " + std::to_string(r_.u32(page + 8))));
      PP_CHECK(visit_page(pgno, blob, visit));
    }
    return {};
  }

 private:
  // Items are stored from the end of the page downwards, in index order, so each one ends where
  // the previous one begins.
  Result<> visit_page(std::uint32_t pgno, std::string& blob, const RpmdbBlobVisitor& visit) {
    const std::size_t page = std::size_t{pgno} * page_size_;
    const std::uint16_t entries = r_.u16(page + 20);
    const std::size_t index_end = kPageHeaderBytes + std::size_t{entries} * 2;
    if (index_end > page_size_)
      return tl::make_unexpected(corrupt(page_name(pgno) + ": " + std::to_string(entries) +
                                         " entries do not fit the page"));
    if (entries % 2 != 0)
      return tl::make_unexpected(
          corrupt(page_name(pgno) + ": odd number of entries " + std::to_string(entries)));
    std::size_t end = page_size_;
    std::uint32_t key = 0;
    for (std::size_t i = 0; i < entries; ++i) {
      const std::uint16_t at = r_.u16(page + kPageHeaderBytes + i * 2);
      const std::string where = page_name(pgno) + ": item " + std::to_string(i);
      if (at < index_end || at >= end)
        return tl::make_unexpected(corrupt(where + ": offset " + std::to_string(at) +
                                           " outside the page's item area " +
                                           std::to_string(index_end) + ".." + std::to_string(end)));
      const std::size_t length = end - at;
      end = at;
      const std::size_t item = page + at;
      const std::uint8_t type = r_.u8(item);
      if (type == kItemDuplicate || type == kItemOffDuplicate)
        return fail(Errc::failed_precondition,
                    "bdb: " + where + ": duplicate keys, which rpm's Packages never has");
      if (i % 2 == 0) {  // the key: rpm's header number, 4 bytes in the writer's byte order
        if (type != kItemKeyData || length != 5)
          return tl::make_unexpected(corrupt(where + ": key of type " + std::to_string(type) +
                                             " and " + std::to_string(length - 1) +
                                             " bytes, rpm's keys are 4-byte header numbers"));
        key = r_.u32(item + 1);
        continue;
      }
      std::string_view value;
      if (type == kItemKeyData) {
        value = file_.substr(item + 1, length - 1);
      } else if (type == kItemOffPage) {
        if (length < kOffPageItemBytes)
          return tl::make_unexpected(
              corrupt(where + ": overflow reference of " + std::to_string(length) + " bytes"));
        PP_CHECK(read_overflow(where, r_.u32(item + 4), r_.u32(item + 8), blob));
        value = blob;
      } else {
        return tl::make_unexpected(corrupt(where + ": unknown item type " + std::to_string(type)));
      }
      if (key == 0) continue;  // rpm's counter of header numbers, not a package
      PP_CHECK(visit(key, value));
    }
    return {};
  }

  // Follows one chain of overflow pages. Each page belongs to at most one chain, which bounds
  // the work of every chain together by the file size and turns a loop into an error.
  Result<> read_overflow(const std::string& where, std::uint32_t first, std::uint32_t total,
                         std::string& out) {
    const std::uint64_t room = std::uint64_t{pages_} * (page_size_ - kPageHeaderBytes);
    if (total > room)
      return tl::make_unexpected(corrupt(where + ": record of " + std::to_string(total) +
                                         " bytes, more than the file can hold"));
    out.clear();
    out.reserve(total);
    const std::uint32_t chain = ++chains_;
    std::uint32_t pgno = first;
    std::uint32_t prev = 0;
    while (pgno != 0) {
      if (pgno >= pages_)
        return tl::make_unexpected(corrupt(where + ": overflow chain reaches page " +
                                           std::to_string(pgno) + ", beyond the last page " +
                                           std::to_string(pages_ - 1)));
      if (chain_of_[pgno] == chain)
        return tl::make_unexpected(corrupt(where + ": overflow chain from " + page_name(first) +
                                           " loops back to " + page_name(pgno)));
      if (chain_of_[pgno] != 0)
        return tl::make_unexpected(
            corrupt(where + ": overflow " + page_name(pgno) + " is on another record's chain too"));
      chain_of_[pgno] = chain;
      const std::size_t page = std::size_t{pgno} * page_size_;
      if (r_.u8(page + 25) != kPageOverflow)
        return tl::make_unexpected(corrupt(where + ": overflow chain reaches " + page_name(pgno) +
                                           " of type " + std::to_string(r_.u8(page + 25))));
      if (r_.u32(page + 8) != pgno || r_.u32(page + 12) != prev)
        return tl::make_unexpected(
            corrupt(where + ": overflow " + page_name(pgno) + " is not linked where it is found"));
      const std::uint16_t length = r_.u16(page + 22);  // the bytes this page holds
      if (length > page_size_ - kPageHeaderBytes)
        return tl::make_unexpected(corrupt(where + ": overflow " + page_name(pgno) +
                                           " says it holds " + std::to_string(length) +
                                           " bytes, more than a page"));
      if (out.size() + length > total)
        return tl::make_unexpected(corrupt(where +
                                           ": overflow chain holds more than the record's " +
                                           std::to_string(total) + " bytes"));
      out.append(file_.substr(page + kPageHeaderBytes, length));
      prev = pgno;
      pgno = r_.u32(page + 16);
    }
    if (out.size() != total)
      return tl::make_unexpected(corrupt(where + ": overflow chain holds " +
                                         std::to_string(out.size()) + " of the record's " +
                                         std::to_string(total) + " bytes"));
    return {};
  }

  std::string_view file_;
  Reader r_;
  std::uint32_t page_size_;
  std::uint32_t pages_;
  std::vector<std::uint32_t> chain_of_;  // overflow page -> the chain it is on, counted from 1
  std::uint32_t chains_ = 0;
};

}  // namespace

Result<> read_bdb_hash_packages(std::string_view file, const RpmdbBlobVisitor& visit) {
  if (file.size() < kMetaBytes)
    return tl::make_unexpected(
        corrupt(std::to_string(file.size()) + " bytes, shorter than the metadata page header"));
  bool big_endian = false;
  if (Reader(file, false).u32(12) != kHashMagic) {
    if (Reader(file, true).u32(12) != kHashMagic)
      return tl::make_unexpected(corrupt("no Berkeley DB hash magic number"));
    big_endian = true;
  }
  const Reader r(file, big_endian);
  const std::uint32_t version = r.u32(16);
  const std::uint32_t page_size = r.u32(20);
  // Hash version 8 is Berkeley DB 4.3 to 4.5 (RHEL 5 and 6), 9 is 4.6 and later.
  if (version < 8 || version > 10)
    return fail(Errc::failed_precondition,
                "bdb: hash version " + std::to_string(version) + " is not supported (8 or 9)");
  if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0)
    return tl::make_unexpected(corrupt("page size " + std::to_string(page_size)));
  if (r.u8(24) != 0) return fail(Errc::failed_precondition, "bdb: the database is encrypted");
  if (r.u8(25) != kPageHashMeta)
    return tl::make_unexpected(
        corrupt("metadata page of type " + std::to_string(r.u8(25)) + ", not a hash's"));
  if ((r.u8(26) & kMetaFlagChecksum) != 0)
    return fail(Errc::failed_precondition,
                "bdb: pages carry checksums, which rpm never asks Berkeley DB for");
  const std::uint32_t last_pgno = r.u32(32);
  const std::uint64_t need = (std::uint64_t{last_pgno} + 1) * page_size;
  if (file.size() < need)
    return tl::make_unexpected(
        corrupt("file of " + std::to_string(file.size()) + " bytes is truncated: its last page " +
                std::to_string(last_pgno) + " ends at byte " + std::to_string(need)));
  HashFile hash(file, r, page_size, last_pgno + 1);
  return hash.visit_all(visit);
}

}  // namespace patchparty::inventory
