// Packages of a Python application from its pylock.toml, the standard lockfile of PEP 751
// (lock-version 1.x), written by pip, uv and PDM.
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

// Every `[[packages]]` entry with a `name` and a `version`, in file order, as ecosystem "PyPI",
// origin "pylock", location `label`, name and version as written.
//   - skipped: entries with a `vcs`, `directory` or `archive` table (a VCS checkout, a source
//     tree such as the project itself, a direct archive URL: code from outside an index, even
//     when it states a version), and entries without a `version`.
//   - dev and optional stay false: PEP 751 says which groups and extras need a package only
//     through `marker` expressions ('"dev" in dependency_groups'), which would need a marker
//     evaluator to read.
// Invalid TOML is data_loss with line and column; TOML of another shape (no string
// `lock-version`, `packages` not an array of tables, an entry without a string `name`, names or
// versions that are not printable ASCII without spaces) is invalid_argument; a `lock-version`
// whose major is not 1 is failed_precondition (PEP 751: readers must refuse unknown majors).
[[nodiscard]] Result<std::vector<Package>> parse_pylock_toml(
    std::string_view text, std::string_view project, std::string_view label = "pylock.toml");

class PylockToml final : public InventorySource {
 public:
  // Files over `max_bytes` are refused with resource_exhausted before being read.
  PylockToml(std::filesystem::path lock_file, std::string project,
             std::size_t max_bytes = kDefaultMaxFileBytes);

  std::string_view name() const override { return "pylock"; }
  [[nodiscard]] Result<std::vector<Package>> scan() override;

 private:
  std::filesystem::path lock_file_;
  std::string project_;
  std::size_t max_bytes_;
};

// "pylock": a project's pylock.toml (register_builtin_sources). PEP 751 also allows named files,
// "pylock.<name>.toml"; only the unnamed one is searched for.
InventoryKind pylock_inventory_kind();

}  // namespace patchparty::inventory
