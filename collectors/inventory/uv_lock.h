// Packages of a Python application from its uv.lock, the file uv installs from (version 1).
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

// Every `[[package]]` whose `source` is `{ registry = "..." }` (PyPI or another index), in file
// order, as ecosystem "PyPI", origin "uv", location `label`, name and version as written.
//   - skipped: every other source. "virtual" and "editable" are the project and its workspace
//     members; "directory", "path", "git" and "url" are code from outside an index, whose
//     version is the code's own claim, not a release advisories name.
//   - dev: uv records dev groups on the dependent side, in the `[package.dev-dependencies]` of
//     the project. A package is dev when it is reachable from a dev-dependencies entry but not
//     from the project (a "virtual" or "editable" package) through `dependencies` and
//     `optional-dependencies` (extras are production code the user opts into). Edges name a
//     package, and also its version when the lock holds several. A package that nothing reaches
//     is not dev: the lock cannot tell.
// Invalid TOML is data_loss with line and column; TOML of another shape (no integer `version`, a
// package without a string `name` or a `source` table, a registry package without a `version`,
// names or versions that are not printable ASCII without spaces, malformed dependency lists) is
// invalid_argument; a `version` other than 1 is failed_precondition.
[[nodiscard]] Result<std::vector<Package>> parse_uv_lock(std::string_view text,
                                                         std::string_view project,
                                                         std::string_view label = "uv.lock");

class UvLock final : public InventorySource {
 public:
  // Files over `max_bytes` are refused with resource_exhausted before being read.
  UvLock(std::filesystem::path lock_file, std::string project,
         std::size_t max_bytes = kDefaultMaxFileBytes);

  std::string_view name() const override { return "uv"; }
  [[nodiscard]] Result<std::vector<Package>> scan() override;

 private:
  std::filesystem::path lock_file_;
  std::string project_;
  std::size_t max_bytes_;
};

// "uv": a project's uv.lock (register_builtin_sources).
InventoryKind uv_inventory_kind();

}  // namespace patchparty::inventory
