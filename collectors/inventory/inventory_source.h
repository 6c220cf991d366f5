// A source of installed packages: a host package database or an application lockfile.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/model/model.h"

namespace patchparty::inventory {

class InventorySource {
 public:
  virtual ~InventorySource() = default;
  // "dpkg", "rpm", "apk", "composer", "npm": the config kind and the {source} metric label.
  virtual std::string_view name() const = 0;
  // Read-only and size-bounded; touches no store.
  [[nodiscard]] virtual Result<std::vector<Package>> scan() = 0;
  // What the last scan() read but could not turn into a package, one line each: a requirement
  // that is not pinned, a dependency whose version is a property nobody sets, an SBOM component
  // without a package URL. Logged and shown beside the packages, never dropped silently.
  virtual std::vector<std::string> notes() const { return {}; }
};

}  // namespace patchparty::inventory
