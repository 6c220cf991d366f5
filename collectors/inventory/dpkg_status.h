// Installed Debian/Ubuntu packages from dpkg's database: /var/lib/dpkg/status, plus the
// per-package stanza files in /var/lib/dpkg/status.d that distroless images ship instead.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/inventory/inventory_kind.h"
#include "collectors/inventory/inventory_source.h"
#include "core/base/bounded_file.h"
#include "core/base/result.h"
#include "core/model/model.h"

namespace patchparty::inventory {

// Which writer produced the text, because each is held to its own standard.
enum class DpkgStatusKind {
  // Written only by dpkg, atomically (write to status-new, fsync, rename): every stanza has a
  // Status field and ends with a blank line, so anything else means the file is corrupt.
  status,
  // Written by image builders (distroless, rules_distroless): no Status field means installed,
  // and the last stanza may end at end of file.
  status_d,
  // A record of dpkg's journal (updates/0000, ...): Status required, may end at end of file.
  update,
};

// Parses deb822 stanzas and returns the packages whose files are on disk, stamped with
// `ecosystem` and origin "dpkg": Status state installed, triggers-awaited, triggers-pending,
// half-configured or unpacked; not config-files, half-installed or not-installed. Never partial:
// a truncated or malformed text is Errc::data_loss naming the line, since an inventory that
// silently lost its last stanzas would hide exactly the packages an advisory may hit.
[[nodiscard]] Result<std::vector<Package>> parse_dpkg_status(
    std::string_view text, std::string_view ecosystem,
    DpkgStatusKind kind = DpkgStatusKind::status);

struct DpkgStatusOptions {
  // Image or chroot root; the paths below are as seen inside it.
  std::filesystem::path root = "/";
  std::filesystem::path status_file = "/var/lib/dpkg/status";
  std::filesystem::path status_dir = "/var/lib/dpkg/status.d";
  std::filesystem::path updates_dir = "/var/lib/dpkg/updates";
  // Cap on all bytes read by one scan: status, journal and status.d together.
  std::size_t max_bytes = kDefaultMaxFileBytes;
  // apt's lists, to tell the distribution's builds from a third party's (apt_lists.h); empty:
  // not read, every package is taken as the distribution's.
  std::filesystem::path apt_lists = "/var/lib/apt/lists";
  // Release origins that are the distribution; empty: default_distribution_origins(ecosystem).
  std::vector<std::string> distribution_origins;
};

// The status file with dpkg's journal applied over it in order (each updates/NNNN record
// replaces the entry of the package it names), as dpkg-query reads them; then every status.d
// file in name order (*.md5sums and dotfiles skipped). status and status.d may each be absent,
// not both: a root with neither is Errc::not_found. Each package is then marked with its
// supplier from apt's lists; lists that cannot be read are a warning in the log, never a failed
// inventory. The same package (name, arch, version)
// listed twice is reported once; two different versions are both reported, since we cannot
// tell which one is on disk and neither may hide a finding.
class DpkgStatus final : public InventorySource {
 public:
  explicit DpkgStatus(std::string ecosystem, DpkgStatusOptions options = {});

  std::string_view name() const override { return "dpkg"; }
  [[nodiscard]] Result<std::vector<Package>> scan() override;

 private:
  void mark_suppliers(std::vector<Package>& packages) const;

  std::string ecosystem_;
  DpkgStatusOptions options_;
};

// "dpkg": dpkg's status file (or status.d), planned from inventory.dpkg (register_builtin_sources).
InventoryKind dpkg_inventory_kind();

}  // namespace patchparty::inventory
