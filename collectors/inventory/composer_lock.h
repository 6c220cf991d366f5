// Packages of a PHP application from its composer.lock, the file Composer installs from.
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

// Every entry of "packages" and of "packages-dev" (dev = true), in file order, as ecosystem
// "Packagist", origin "composer". Versions stay exactly as Composer wrote them ("v4.4.12",
// "2.0.x-dev", "dev-master"), since the Composer comparator, not this parser, knows their
// grammar. `location` names the file in the packages and in error messages.
// Invalid JSON is data_loss with the byte offset; valid JSON of the wrong shape (no "packages"
// array, an entry without a string "name" or "version") is invalid_argument.
[[nodiscard]] Result<std::vector<Package>> parse_composer_lock(std::string_view json,
                                                               std::string_view project,
                                                               std::string_view location = {});

class ComposerLock final : public InventorySource {
 public:
  // Files over `max_bytes` are refused with resource_exhausted before being read.
  ComposerLock(std::filesystem::path lock_file, std::string project,
               std::size_t max_bytes = kDefaultMaxFileBytes);

  std::string_view name() const override { return "composer"; }
  [[nodiscard]] Result<std::vector<Package>> scan() override;

 private:
  std::filesystem::path lock_file_;
  std::string project_;
  std::size_t max_bytes_;
};

// "composer": a project's composer.lock (register_builtin_sources).
InventoryKind composer_inventory_kind();

}  // namespace patchparty::inventory
