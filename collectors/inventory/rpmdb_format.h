// Which of rpm's database formats a file holds, told by its first bytes: a host upgraded across
// rpm releases, or an image built elsewhere, may keep any of them under any of the known names.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

#include "core/base/result.h"

namespace patchparty::inventory {

enum class RpmdbFormat {
  sqlite,    // rpmdb.sqlite: rpm 4.16 and later (RHEL 9, Fedora 33+, Amazon Linux 2023)
  bdb_hash,  // Packages: Berkeley DB hash (RHEL/CentOS/Oracle Linux 7 and 8, Amazon Linux 2)
  ndb,       // Packages.db: rpm's own ndb (SUSE 15 SP3 and later)
};

// Enough leading bytes for every magic number below.
inline constexpr std::size_t kRpmdbMagicBytes = 32;

// The format of a file whose first bytes are `head` (at most kRpmdbMagicBytes are looked at).
// Another Berkeley DB access method (a Btree, say) or unknown bytes are failed_precondition:
// not an rpm package database, whatever the file is called.
[[nodiscard]] Result<RpmdbFormat> detect_rpmdb_format(std::string_view head);

std::string_view rpmdb_format_name(RpmdbFormat format);

// What the Berkeley DB and NDB readers hand out: each package's header number and its header
// blob, in the layout parse_rpm_header reads. The view lives only for the call.
using RpmdbBlobVisitor = std::function<Result<>(std::uint32_t hnum, std::string_view blob)>;

}  // namespace patchparty::inventory
