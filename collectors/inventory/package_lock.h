// Packages of a Node.js application from its package-lock.json (or npm-shrinkwrap.json),
// lockfileVersion 1, 2 and 3.
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

// One Package per installed copy, in file order: the same name@version installed at two
// node_modules paths is two packages with different `location`s (the node_modules path), so a
// finding can say where each copy lives. Ecosystem "npm", origin "npm".
//
// lockfileVersion 2 and 3: the "packages" map (version 2 also carries the version 1 tree, which
// is ignored). Skipped entries:
//   - ""               the project itself;
//   - "link": true     a symlink into the project (workspaces, "file:" folders); the target is
//                      listed under its own key;
//   - keys without a node_modules segment, e.g. "packages/app": the source folder of a
//                      workspace member or linked folder, code of the project and not an
//                      installed dependency. Their own dependencies
//                      ("packages/app/node_modules/x") are kept.
// The name is the entry's "name" (set for aliases, "npm:real-name@1.2.3") or else the path after
// the last "node_modules/". Flags: "dev" sets dev; "optional" sets optional; "devOptional"
// (a dev dependency that is also an optional dependency of a production one, so it can reach
// production through an optional path) sets optional and not dev.
//
// lockfileVersion 1: the nested "dependencies" tree; locations are built the way npm lays the
// tree out ("node_modules/a/node_modules/b"); "npm:real-name@1.2.3" alias versions are split into
// name and version; "requires" is not needed and is not read.
//
// An entry without a "version" is kept with an empty version, which correlation reports as
// unparsable rather than silently matching or missing. Invalid JSON is data_loss with the byte
// offset; JSON of another shape is invalid_argument; an unknown lockfileVersion is
// failed_precondition. `label` names the file in error messages.
[[nodiscard]] Result<std::vector<Package>> parse_package_lock(
    std::string_view json, std::string_view project, std::string_view label = "package-lock.json");

class PackageLock final : public InventorySource {
 public:
  // Files over `max_bytes` are refused with resource_exhausted before being read.
  PackageLock(std::filesystem::path lock_file, std::string project,
              std::size_t max_bytes = kDefaultMaxFileBytes);

  std::string_view name() const override { return "npm"; }
  [[nodiscard]] Result<std::vector<Package>> scan() override;

 private:
  std::filesystem::path lock_file_;
  std::string project_;
  std::size_t max_bytes_;
};

// "npm": a project's package-lock.json or npm-shrinkwrap.json (register_builtin_sources).
InventoryKind npm_inventory_kind();

}  // namespace patchparty::inventory
