// Packages of a JavaScript application from its bun.lock, Bun's text lockfile (JSON with comments
// and trailing commas), lockfileVersion 0 and 1. The older binary bun.lockb is not read.
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

// One Package per entry of the "packages" map, in file order. Each key is an install path
// ("chalk/supports-color" is supports-color installed under chalk), written as `location` the
// way npm writes it ("node_modules/chalk/node_modules/supports-color"), so the same name@version
// installed at two paths is two packages, as in package-lock.json. Ecosystem "npm", origin "bun".
//
// Each value is an array whose first element is the resolved "name@version" ("@scope/name@1.0.0";
// an alias's key is its alias, the array names the real package; "name@npm:real@1.0.0" is
// unwrapped too). Kept: versions without ':', '/' or '#'. Skipped, as not registry packages:
// "github:", "git+...", "file:", "link:", "workspace:", "root:" and tarball URL resolutions.
//
// Dev and optional are not recorded (always false): bun.lock lists only each workspace's direct
// dev and optional dependencies, and telling which installed packages only they reach needs a
// walk of the graph with Bun's resolution rules, which this reader does not do.
//
// Invalid JSON (comments and trailing commas allowed) is data_loss with the byte offset; JSON of
// the wrong shape (no integer "lockfileVersion", "packages" not an object, an entry that is not
// an array starting with a "name@version" string, a name that is not printable ASCII without
// spaces) is invalid_argument; a lockfileVersion other than 0 and 1 is failed_precondition; a
// missing "packages" is no packages. `label` names the file in errors.
[[nodiscard]] Result<std::vector<Package>> parse_bun_lock(std::string_view json,
                                                          std::string_view project,
                                                          std::string_view label = "bun.lock");

class BunLock final : public InventorySource {
 public:
  // Files over `max_bytes` are refused with resource_exhausted before being read.
  BunLock(std::filesystem::path lock_file, std::string project,
          std::size_t max_bytes = kDefaultMaxFileBytes);

  std::string_view name() const override { return "bun"; }
  [[nodiscard]] Result<std::vector<Package>> scan() override;

 private:
  std::filesystem::path lock_file_;
  std::string project_;
  std::size_t max_bytes_;
};

// "bun": a project's bun.lock (register_builtin_sources).
InventoryKind bun_inventory_kind();

}  // namespace patchparty::inventory
