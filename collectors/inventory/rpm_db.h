// Installed packages from the SQLite rpmdb of RPM 4.16 and later (Fedora 33+, RHEL 9, SUSE).
// The header blobs are parsed here rather than through librpm, so the daemon needs no librpm at
// run time and treats every blob as untrusted input.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/inventory/inventory_kind.h"
#include "collectors/inventory/inventory_source.h"
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

class RpmDb final : public InventorySource {
 public:
  static constexpr std::string_view kDefaultPath = "/var/lib/rpm/rpmdb.sqlite";

  // `ecosystem` is the OSV ecosystem the host's packages belong to, e.g. "Red Hat".
  // `root` prefixes `db_file` for chroots and container images (see under_root).
  explicit RpmDb(std::string ecosystem,
                 std::filesystem::path db_file = std::filesystem::path(kDefaultPath),
                 std::filesystem::path root = "/");

  std::string_view name() const override { return "rpm"; }

  // Reads the Packages table without writing to the database or its -wal/-shm files. Skips the
  // gpg-pubkey pseudo-packages that hold imported signing keys.
  [[nodiscard]] Result<std::vector<Package>> scan() override;

 private:
  std::string ecosystem_;
  std::filesystem::path db_file_;
};

// "rpm": the SQLite rpmdb, planned from inventory.rpm (register_builtin_sources).
InventoryKind rpm_inventory_kind();

}  // namespace patchparty::inventory
