// Packages of a Node.js application from its pnpm-lock.yaml, lockfileVersion 5.x (pnpm 5 to 7),
// 6.x (pnpm 8) and 9.x (pnpm 9 and 10).
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

// One Package per distinct (name, version) of the "packages" map, in order of first appearance.
// pnpm's install paths (its virtual store) are not in the file, so `location` is `label`.
// Ecosystem "npm", origin "pnpm". Each document of a multi-document file (pnpm 10 puts its own
// package-manager lockfile first) is read.
//
// The name and version come from the key, with peer-dependency suffixes stripped:
//   5.x  "[host]/name/version[_peer@1.0.0+other@2.0.0]", "[host]/@scope/name/version[_...]";
//        the host is empty for the default registry ("/acorn/8.7.0") and names another registry
//        otherwise ("registry.example.com/foo/1.0.0"): both are registry packages. A key with no
//        '/' at all is read as "name@version" (such keys turn up in merged 5.4 files).
//   6.x  "[host]/name@version[(peer@1.0.0)(...)]";
//   9.x  "name@version[(peer)]", flags from "snapshots".
// The version must be a semantic version (MAJOR.MINOR.PATCH[-pre][+build]); anything else is
// not a registry package and is skipped: git and tarball keys ("github.com/org/repo/<sha>",
// "name@https://codeload..."), "file:" and "link:" keys, and keys that do not parse. Entries
// whose `resolution` names a git `repo` or a `directory` are skipped whatever their key. So
// tarball URL and git dependencies are not inventoried, even where the entry has a `name` and
// `version` field: no advisory names their versions. A tarball resolution under a registry key
// (pnpm's lockfile-include-tarball-url) is kept.
//
// Flags: 5.x and 6.x `dev: true` sets dev (`dev: false` and an absent flag, which pnpm writes for
// packages used by both, do not); `optional: true` sets optional. 9.x moved the graph into
// "snapshots", which has `optional: true` but no dev flag: optional is set when every snapshot
// of the package says so, and dev is never set (telling dev from production there needs a walk
// of the importers' dependency graph, which this reader does not do). When a package appears
// under several keys (peer variants), it is dev or optional only if all of them are.
//
// An empty document (only comments) and a missing or null "packages" are no packages. Invalid
// YAML is data_loss with its line; nesting deeper than 64 levels is refused with invalid_argument
// before yaml-cpp (which recurses per level) sees it; a document that is not a map, without a
// "lockfileVersion", or with entries of the wrong shape is invalid_argument; a lockfileVersion
// other than 5.x, 6.x or 9.x is failed_precondition. `label` names the file in errors.
[[nodiscard]] Result<std::vector<Package>> parse_pnpm_lock(
    std::string_view yaml, std::string_view project, std::string_view label = "pnpm-lock.yaml");

class PnpmLock final : public InventorySource {
 public:
  // Files over `max_bytes` are refused with resource_exhausted before being read.
  PnpmLock(std::filesystem::path lock_file, std::string project,
           std::size_t max_bytes = kDefaultMaxFileBytes);

  std::string_view name() const override { return "pnpm"; }
  [[nodiscard]] Result<std::vector<Package>> scan() override;

 private:
  std::filesystem::path lock_file_;
  std::string project_;
  std::size_t max_bytes_;
};

// "pnpm": a project's pnpm-lock.yaml (register_builtin_sources).
InventoryKind pnpm_inventory_kind();

}  // namespace patchparty::inventory
