#include "collectors/inventory/rpmdb_ndb.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace patchparty::inventory {

namespace {

// rpm's lib/backend/ndb layout: little-endian words, 16-byte slots and blocks, 4 KiB slot pages.
constexpr std::size_t kHeaderBytes = 32;
constexpr std::size_t kSlotPageBytes = 4096;
constexpr std::size_t kSlotBytes = 16;
constexpr std::size_t kBlockBytes = 16;
constexpr std::size_t kBlobHeadBytes = 16;
constexpr std::size_t kBlobTailBytes = 12;
constexpr std::uint32_t kVersion = 0;

constexpr std::uint32_t magic(const char (&m)[5]) {
  return static_cast<std::uint32_t>(static_cast<unsigned char>(m[0])) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(m[1])) << 8 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(m[2])) << 16 |
         static_cast<std::uint32_t>(static_cast<unsigned char>(m[3])) << 24;
}
constexpr std::uint32_t kFileMagic = magic("RpmP");
constexpr std::uint32_t kSlotMagic = magic("Slot");
constexpr std::uint32_t kBlobStartMagic = magic("BlbS");
constexpr std::uint32_t kBlobEndMagic = magic("BlbE");

std::uint32_t le32(std::string_view s, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v |= static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + i])) << (8 * i);
  return v;
}

std::uint32_t adler32(std::string_view bytes) {
  constexpr std::uint32_t kMod = 65521;
  constexpr std::size_t kRun = 5552;  // the longest run whose sums cannot overflow 32 bits
  std::uint32_t a = 1, b = 0;
  while (!bytes.empty()) {
    const std::size_t n = std::min(kRun, bytes.size());
    for (std::size_t i = 0; i < n; ++i) {
      a += static_cast<unsigned char>(bytes[i]);
      b += a;
    }
    a %= kMod;
    b %= kMod;
    bytes.remove_prefix(n);
  }
  return (b << 16) | a;
}

Error corrupt(std::string message) {
  return Error{Errc::data_loss, "ndb: " + std::move(message)};
}

struct Slot {
  std::uint32_t pkgidx, blkoff, blkcnt;
  std::size_t number;
};

}  // namespace

Result<> read_ndb_packages(std::string_view file, const RpmdbBlobVisitor& visit) {
  if (file.size() < kHeaderBytes)
    return tl::make_unexpected(
        corrupt(std::to_string(file.size()) + " bytes, shorter than the header"));
  if (le32(file, 0) != kFileMagic) return tl::make_unexpected(corrupt("no RpmP magic number"));
  if (le32(file, 4) != kVersion)
    return fail(Errc::failed_precondition,
                "ndb: version " + std::to_string(le32(file, 4)) + " is not supported (0)");
  const std::uint32_t slot_pages = le32(file, 12);
  const std::uint64_t slot_end = std::uint64_t{slot_pages} * kSlotPageBytes;
  if (slot_pages == 0 || slot_end > file.size())
    return tl::make_unexpected(corrupt(std::to_string(slot_pages) + " slot pages in a file of " +
                                       std::to_string(file.size()) + " bytes"));

  std::vector<Slot> slots;
  for (std::size_t at = kHeaderBytes; at < slot_end; at += kSlotBytes) {
    const std::size_t number = at / kSlotBytes;
    if (le32(file, at) != kSlotMagic)
      return tl::make_unexpected(corrupt("slot " + std::to_string(number) + ": no Slot magic"));
    const Slot s{le32(file, at + 4), le32(file, at + 8), le32(file, at + 12), number};
    if (s.pkgidx == 0) continue;  // free
    const std::uint64_t start = std::uint64_t{s.blkoff} * kBlockBytes;
    const std::uint64_t end = start + std::uint64_t{s.blkcnt} * kBlockBytes;
    if (start < slot_end || end > file.size() ||
        std::uint64_t{s.blkcnt} * kBlockBytes < kBlobHeadBytes + kBlobTailBytes)
      return tl::make_unexpected(
          corrupt("slot " + std::to_string(number) + " (package " + std::to_string(s.pkgidx) +
                  "): blob at block " + std::to_string(s.blkoff) + " of " +
                  std::to_string(s.blkcnt) + " blocks lies outside the file's " +
                  std::to_string(file.size()) + " bytes of blob area"));
    slots.push_back(s);
  }
  // Overlapping blobs would let a small file make the checksums below read it many times over.
  std::vector<const Slot*> by_place;
  for (const Slot& s : slots) by_place.push_back(&s);
  std::sort(by_place.begin(), by_place.end(),
            [](const Slot* a, const Slot* b) { return a->blkoff < b->blkoff; });
  for (std::size_t i = 1; i < by_place.size(); ++i) {
    const Slot& a = *by_place[i - 1];
    const Slot& b = *by_place[i];
    if (std::uint64_t{a.blkoff} + a.blkcnt > b.blkoff)
      return tl::make_unexpected(corrupt("the blobs of packages " + std::to_string(a.pkgidx) +
                                         " and " + std::to_string(b.pkgidx) + " overlap"));
    if (a.pkgidx == b.pkgidx)
      return tl::make_unexpected(corrupt("package " + std::to_string(a.pkgidx) + " has two slots"));
  }

  for (const Slot& s : slots) {
    const std::string where = "package " + std::to_string(s.pkgidx);
    const std::size_t start = std::size_t{s.blkoff} * kBlockBytes;
    const std::size_t size = std::size_t{s.blkcnt} * kBlockBytes;
    const std::string_view region = file.substr(start, size);
    if (le32(region, 0) != kBlobStartMagic)
      return tl::make_unexpected(
          corrupt(where + ": no BlbS magic at block " + std::to_string(s.blkoff)));
    if (le32(region, 4) != s.pkgidx)
      return tl::make_unexpected(
          corrupt(where + ": its blob names package " + std::to_string(le32(region, 4))));
    const std::uint32_t length = le32(region, 12);
    if (std::uint64_t{length} + kBlobHeadBytes + kBlobTailBytes > size)
      return tl::make_unexpected(corrupt(where + ": blob of " + std::to_string(length) +
                                         " bytes does not fit its " + std::to_string(s.blkcnt) +
                                         " blocks"));
    const std::size_t tail = size - kBlobTailBytes;
    if (le32(region, tail + 8) != kBlobEndMagic || le32(region, tail + 4) != length)
      return tl::make_unexpected(corrupt(where + ": blob tail does not close the blob"));
    // The checksum covers the head, the blob and the padding up to the tail.
    if (adler32(region.substr(0, tail)) != le32(region, tail))
      return tl::make_unexpected(corrupt(where + ": blob checksum mismatch"));
    PP_CHECK(visit(s.pkgidx, region.substr(kBlobHeadBytes, length)));
  }
  return {};
}

}  // namespace patchparty::inventory
