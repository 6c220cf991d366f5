// Crates a Rust program is built from, from its Cargo.lock.
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

// One Package per `[[package]]` that came from a registry, in file order: ecosystem
// "crates.io", origin "cargo", name and version exactly as locked (build metadata such as
// "0.10.2+wasi-snapshot-preview1" is kept as written), location `label`.
//
// Kept: `source = "registry+..."` and `source = "sparse+..."` (crates.io and other registries,
// git-index or sparse protocol). Skipped:
//   - no `source`: the workspace's own members and `path` dependencies, code of the project;
//   - `source = "git+..."` and anything else: built from a repository at a commit, with no
//     registry version an advisory could name.
// Lockfile formats 1 and 2 (no top-level `version`), 3 and 4 are read; a higher `version` is
// failed_precondition. Invalid TOML is data_loss with the line and column; TOML of another shape
// (a `package` that is not an array of tables, a package without a `name` or `version` string,
// names or versions that are not printable ASCII without spaces) is invalid_argument.
[[nodiscard]] Result<std::vector<Package>> parse_cargo_lock(std::string_view text,
                                                            std::string_view project,
                                                            std::string_view label = "Cargo.lock");

class CargoLock final : public InventorySource {
 public:
  // Files over `max_bytes` are refused with resource_exhausted before being read.
  CargoLock(std::filesystem::path lock_file, std::string project,
            std::size_t max_bytes = kDefaultMaxFileBytes);

  std::string_view name() const override { return "cargo"; }
  [[nodiscard]] Result<std::vector<Package>> scan() override;

 private:
  std::filesystem::path lock_file_;
  std::string project_;
  std::size_t max_bytes_;
};

// "cargo": a project's Cargo.lock (register_builtin_sources).
InventoryKind cargo_inventory_kind();

}  // namespace patchparty::inventory
