// rpm's Berkeley DB `Packages` (RHEL/CentOS/Oracle Linux 7 and 8, Amazon Linux 2, Fedora before
// 33) read without libdb: a hash database whose keys are header numbers and whose values are
// header blobs, most of them too big for a page and so kept on chains of overflow pages.
#pragma once

#include <string_view>

#include "collectors/inventory/rpmdb_format.h"
#include "core/base/result.h"

namespace patchparty::inventory {

// Hands every record of the hash database `file` (the whole file, as read) to `visit`, in page
// order, skipping rpm's record 0 (its next-header-number counter). The file is untrusted: every
// page number, item offset, length and overflow chain is checked against the file, and a chain
// that loops or is shared by two records is an error, so the work is linear in the file size.
// A corrupt file is data_loss, one that Berkeley DB wrote with features rpm never asks for
// (encryption, page checksums, duplicate keys) failed_precondition; visit's errors pass
// through. A database that holds no records, as `rpmdb --initdb` leaves it, visits nothing.
[[nodiscard]] Result<> read_bdb_hash_packages(std::string_view file, const RpmdbBlobVisitor& visit);

}  // namespace patchparty::inventory
