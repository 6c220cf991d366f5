// rpm's own "ndb" package database, `Packages.db` (SUSE Linux Enterprise and openSUSE Leap 15 SP3
// and later, at /usr/lib/sysimage/rpm), read without librpm: a header, pages of slots naming
// where each package's blob lies, and the blobs, each framed by magic numbers, its length twice
// and an Adler-32 checksum.
#pragma once

#include <string_view>

#include "collectors/inventory/rpmdb_format.h"
#include "core/base/result.h"

namespace patchparty::inventory {

// Hands every package blob of the ndb file `file` (the whole file, as read) to `visit`, in slot
// order, with its package index as the header number. Every slot, blob frame and checksum is
// checked against the file; blobs that overlap are an error, so the work is linear in the file
// size. A corrupt file is data_loss; visit's errors pass through.
[[nodiscard]] Result<> read_ndb_packages(std::string_view file, const RpmdbBlobVisitor& visit);

}  // namespace patchparty::inventory
