// Packages of a Python application from its pdm.lock, the file PDM installs from (lock_version
// 3.x and 4.x, written by PDM 1 and 2).
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
// "pdm", location `label`, name and version as written.
//   - skipped: packages with a `git`, `path` or `url` key (a VCS checkout, a local folder or
//     archive, a direct URL: code from outside an index, whose version is the code's own claim)
//     and packages without a `version`.
//   - dev: a `groups` list without "default". pdm.lock lists a package's groups but not what
//     kind they are: groups of `[tool.pdm.dev-dependencies]` and of
//     `[project.optional-dependencies]` (extras) look the same, so a package only an extra pulls
//     in is dev too (the fixture optional-dependency.toml). Neither is installed by a plain
//     `pdm install --prod`. Without `groups` (lock_version 3.x) nothing is dev.
// Invalid TOML is data_loss with line and column; TOML of another shape (neither a `package`
// array nor a `[metadata]` table, an entry without a string `name`, names or versions that are
// not printable ASCII without spaces) is invalid_argument; a `metadata.lock_version` whose
// major is not 3 or 4 is failed_precondition.
[[nodiscard]] Result<std::vector<Package>> parse_pdm_lock(std::string_view text,
                                                          std::string_view project,
                                                          std::string_view label = "pdm.lock");

class PdmLock final : public InventorySource {
 public:
  // Files over `max_bytes` are refused with resource_exhausted before being read.
  PdmLock(std::filesystem::path lock_file, std::string project,
          std::size_t max_bytes = kDefaultMaxFileBytes);

  std::string_view name() const override { return "pdm"; }
  [[nodiscard]] Result<std::vector<Package>> scan() override;

 private:
  std::filesystem::path lock_file_;
  std::string project_;
  std::size_t max_bytes_;
};

// "pdm": a project's pdm.lock (register_builtin_sources).
InventoryKind pdm_inventory_kind();

}  // namespace patchparty::inventory
