#include "collectors/inventory/rpmdb_format.h"

#include <cstdio>
#include <string>

namespace patchparty::inventory {

namespace {

constexpr std::string_view kSqliteMagic{"SQLite format 3\0", 16};
constexpr std::string_view kNdbMagic = "RpmP";

// Berkeley DB keeps its magic number at offset 12 of the metadata page, in the byte order of
// the machine that created the file.
constexpr std::uint32_t kBdbHashMagic = 0x061561;
constexpr std::uint32_t kBdbBtreeMagic = 0x053162;
constexpr std::uint32_t kBdbQueueMagic = 0x042253;
constexpr std::uint32_t kBdbHeapMagic = 0x074582;

std::uint32_t load32(std::string_view s, std::size_t at, bool big_endian) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) {
    const auto b = static_cast<std::uint32_t>(static_cast<unsigned char>(s[at + i]));
    v |= big_endian ? b << (24 - 8 * i) : b << (8 * i);
  }
  return v;
}

}  // namespace

Result<RpmdbFormat> detect_rpmdb_format(std::string_view head) {
  if (head.starts_with(kSqliteMagic)) return RpmdbFormat::sqlite;
  if (head.starts_with(kNdbMagic)) return RpmdbFormat::ndb;
  if (head.size() >= 16) {
    for (bool big : {false, true}) {
      switch (load32(head, 12, big)) {
        case kBdbHashMagic:
          return RpmdbFormat::bdb_hash;
        case kBdbBtreeMagic:
          return fail(Errc::failed_precondition,
                      "a Berkeley DB Btree database, not an rpm Packages database (rpm keeps "
                      "its packages in a Berkeley DB Hash database)");
        case kBdbQueueMagic:
        case kBdbHeapMagic:
          return fail(Errc::failed_precondition,
                      "a Berkeley DB queue or heap database, not an rpm Packages database");
        default:
          break;
      }
    }
  }
  if (head.empty()) return fail(Errc::failed_precondition, "empty file, not an rpm database");
  std::string shown;
  for (std::size_t i = 0; i < head.size() && i < 16; ++i) {
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02x", static_cast<unsigned char>(head[i]));
    shown += hex;
  }
  return fail(Errc::failed_precondition,
              "not an SQLite rpmdb, nor a Berkeley DB or NDB one (first bytes " + shown + ")");
}

std::string_view rpmdb_format_name(RpmdbFormat format) {
  switch (format) {
    case RpmdbFormat::sqlite:
      return "sqlite";
    case RpmdbFormat::bdb_hash:
      return "bdb";
    case RpmdbFormat::ndb:
      return "ndb";
  }
  return "unknown";
}

}  // namespace patchparty::inventory
