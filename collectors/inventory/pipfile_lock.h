// Packages of a Python application from its Pipfile.lock, the file Pipenv installs from
// (pipfile-spec up to 6).
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

// The entries of "default" and then of "develop" (dev = true), in file order, as ecosystem
// "PyPI", origin "pipenv", location `label`; the name is the entry's key as written, the version
// its "version" without the "==" (or "===") Pipenv writes before it.
//   - skipped: entries without "version": "git", "path" and "file" requirements (often
//     "editable"), code from outside an index.
//   - a name and version in both sections is one package, dev = false: production needs it. The
//     same name with different versions in the two sections stays two packages.
// Invalid JSON is data_loss with the byte offset; valid JSON of another shape (no "_meta",
// "default" or "develop" member, sections that are not objects, entries that are not objects, a
// "version" that is not a string "==<version>", names or versions that are not printable ASCII
// without spaces) is invalid_argument; a "_meta.pipfile-spec" above 6 is failed_precondition.
[[nodiscard]] Result<std::vector<Package>> parse_pipfile_lock(
    std::string_view json, std::string_view project, std::string_view label = "Pipfile.lock");

class PipfileLock final : public InventorySource {
 public:
  // Files over `max_bytes` are refused with resource_exhausted before being read.
  PipfileLock(std::filesystem::path lock_file, std::string project,
              std::size_t max_bytes = kDefaultMaxFileBytes);

  std::string_view name() const override { return "pipenv"; }
  [[nodiscard]] Result<std::vector<Package>> scan() override;

 private:
  std::filesystem::path lock_file_;
  std::string project_;
  std::size_t max_bytes_;
};

// "pipenv": a project's Pipfile.lock (register_builtin_sources).
InventoryKind pipenv_inventory_kind();

}  // namespace patchparty::inventory
