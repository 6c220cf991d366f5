// Installed Alpine (and Wolfi/Chainguard) packages from apk's database, /lib/apk/db/installed.
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

// Blank-line separated records of "K:value" lines: P name, V version, A arch, o origin (the
// source package that OSV and secdb name). Every record in the file is installed; there is no
// state field. A record without P or V, a line that is not "K:value" and a last line without
// its newline (the file was cut) are Errc::data_loss naming the line. A last record that ends
// at end of file is accepted, unlike dpkg's status, because apk does not promise the blank
// line after it.
[[nodiscard]] Result<std::vector<Package>> parse_apk_installed(std::string_view text,
                                                               std::string_view ecosystem);

struct ApkInstalledOptions {
  // Image or chroot root; installed_file is as seen inside it.
  std::filesystem::path root = "/";
  std::filesystem::path installed_file = "/lib/apk/db/installed";
  std::size_t max_bytes = kDefaultMaxFileBytes;
};

class ApkInstalled final : public InventorySource {
 public:
  explicit ApkInstalled(std::string ecosystem, ApkInstalledOptions options = {});

  std::string_view name() const override { return "apk"; }
  [[nodiscard]] Result<std::vector<Package>> scan() override;

 private:
  std::string ecosystem_;
  ApkInstalledOptions options_;
};

// "apk": apk's installed database, planned from inventory.apk (register_builtin_sources).
InventoryKind apk_inventory_kind();

}  // namespace patchparty::inventory
