// Packages of a Python application from its poetry.lock, the file Poetry installs from
// (lock-version 1.x and 2.x).
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

// Every `[[package]]` with its `name` and `version`, in file order, as ecosystem "PyPI", origin
// "poetry", location `label`; the name as written (Poetry writes it normalised).
//   - skipped: packages whose `[package.source] type` is "git", "directory", "file" or "url":
//     code from outside the index, whose version is the project's own claim, not a release
//     advisories name. Every other type ("legacy": a custom index such as piwheels) is kept.
//   - dev: `category = "dev"` (lock-version 1.x), or a `groups` list (Poetry 2) without "main".
//     Lock-version 2.0 files, written by Poetry 1.5 to 1.8, have neither, so nothing there is dev.
//   - optional: `optional = true` (a package only extras pull in).
// Invalid TOML is data_loss with line and column; valid TOML of another shape (neither a
// `package` array nor a `[metadata]` table, an entry without a string `name` or `version`, names
// or versions that are not printable ASCII without spaces) is invalid_argument; a
// `metadata.lock-version` whose major is not 1 or 2 is failed_precondition.
[[nodiscard]] Result<std::vector<Package>> parse_poetry_lock(
    std::string_view text, std::string_view project, std::string_view label = "poetry.lock");

class PoetryLock final : public InventorySource {
 public:
  // Files over `max_bytes` are refused with resource_exhausted before being read.
  PoetryLock(std::filesystem::path lock_file, std::string project,
             std::size_t max_bytes = kDefaultMaxFileBytes);

  std::string_view name() const override { return "poetry"; }
  [[nodiscard]] Result<std::vector<Package>> scan() override;

 private:
  std::filesystem::path lock_file_;
  std::string project_;
  std::size_t max_bytes_;
};

// "poetry": a project's poetry.lock (register_builtin_sources).
InventoryKind poetry_inventory_kind();

}  // namespace patchparty::inventory
