// Installed packages from an rpm database in any of the formats rpm has written: SQLite (rpm
// 4.16 and later: Fedora 33+, RHEL 9, Amazon Linux 2023), Berkeley DB hash (RHEL/CentOS/Oracle
// Linux 7 and 8, Amazon Linux 2) and NDB (SUSE 15 SP3 and later). Files and header blobs are
// parsed here rather than through librpm, so the daemon needs no librpm at run time and treats
// every byte as untrusted input.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/inventory/inventory_kind.h"
#include "collectors/inventory/inventory_source.h"
#include "collectors/inventory/rpmdb_format.h"
#include "core/base/bounded_file.h"
#include "core/base/result.h"
#include "core/model/model.h"

namespace patchparty::inventory {

// The tags of one rpm header that inventory needs. Missing optional tags stay empty.
struct RpmHeader {
  std::string name;                    // NAME (1000)
  std::optional<std::uint32_t> epoch;  // EPOCH (1003); absent when the spec sets no Epoch
  std::string version;                 // VERSION (1001)
  std::string release;                 // RELEASE (1002)
  std::string arch;                    // ARCH (1022); gpg-pubkey pseudo-packages have none
  std::string source_rpm;              // SOURCERPM (1044): "name-version-release.src.rpm"
  // MODULARITYLABEL (5096) of a module build: "perl:5.32:8100020240314082337:9fe1d287"
  // (module:stream:version:context); empty for everything else.
  std::string modularity_label;
};

// Parses one header as rpm stores it in the Packages table (headerExport's layout: big-endian
// index count, data size, index entries {tag, type, offset, count}, data store). Every offset and
// count is checked against the blob; any inconsistency is data_loss.
[[nodiscard]] Result<RpmHeader> parse_rpm_header(std::string_view blob);

// "[epoch:]version-release", the form of rpm's own %{EVR}: the epoch appears whenever the header
// carries one, including an explicit 0, and is left out when the spec set none (rpm compares a
// missing epoch as 0). OSV's Red Hat ecosystem writes versions the same way.
std::string rpm_evr(const RpmHeader& header);

struct SourceRpmName {
  std::string name;
  std::string version;  // "version-release"
};

// Splits "name-version-release.src.rpm" (or ".nosrc.rpm"); nullopt when it has another shape.
std::optional<SourceRpmName> parse_source_rpm(std::string_view file_name);

// The Package for one header. source_version carries the binary's epoch in front of the source
// rpm's version-release, because the source file name has no epoch while every binary of a spec
// shares the spec's Epoch; without a usable SOURCERPM the source fields repeat name and version.
Package rpm_package(const RpmHeader& header, std::string_view ecosystem);

// Where rpm keeps its database, in the order they are looked for when no file is configured: the
// SQLite files of rpm 4.16+ (/usr/lib/sysimage/rpm since rpm 4.17; /var/lib/rpm is often a link
// to it), SUSE's NDB, then Berkeley DB. A host converted from one format to another may keep the
// old file beside the new one; the newer format comes first.
inline constexpr std::array<std::string_view, 5> kRpmdbSearchPaths = {
    "/usr/lib/sysimage/rpm/rpmdb.sqlite",
    "/var/lib/rpm/rpmdb.sqlite",
    "/usr/lib/sysimage/rpm/Packages.db",
    "/var/lib/rpm/Packages.db",
    "/var/lib/rpm/Packages",
};

// The first of kRpmdbSearchPaths present under `root`, nullopt when none is.
std::optional<std::filesystem::path> find_rpmdb(const std::filesystem::path& root);

class RpmDb final : public InventorySource {
 public:
  // rpm's own default location of the SQLite database on RHEL 9 and Fedora.
  static constexpr std::string_view kDefaultPath = "/var/lib/rpm/rpmdb.sqlite";

  // `ecosystem` is the OSV ecosystem the host's packages belong to, e.g. "Red Hat".
  // `db_file` empty: the first of kRpmdbSearchPaths present at each scan. `root` prefixes the
  // file for chroots and container images (see under_root). Berkeley DB and NDB files are read
  // whole, and refused when larger than `max_bytes`; SQLite reads only the pages it needs.
  explicit RpmDb(std::string ecosystem, std::filesystem::path db_file = {},
                 std::filesystem::path root = "/", std::size_t max_bytes = kDefaultMaxFileBytes);

  std::string_view name() const override { return "rpm"; }

  // Reads the database in whichever format its content shows (never by its name), without
  // writing to it or to SQLite's -wal/-shm files. Skips the gpg-pubkey pseudo-packages that hold
  // imported signing keys. A corrupt file is data_loss, one that is no rpm database
  // failed_precondition, each naming the file.
  [[nodiscard]] Result<std::vector<Package>> scan() override;

 private:
  [[nodiscard]] Result<std::vector<Package>> scan_sqlite(const std::filesystem::path& file);
  [[nodiscard]] Result<std::vector<Package>> scan_blobs(const std::filesystem::path& file,
                                                        RpmdbFormat format);

  std::string ecosystem_;
  std::filesystem::path db_file_;  // under root; empty: searched
  std::filesystem::path root_;
  std::size_t max_bytes_;
};

// "rpm": the rpmdb, planned from inventory.rpm (register_builtin_sources).
InventoryKind rpm_inventory_kind();

}  // namespace patchparty::inventory
