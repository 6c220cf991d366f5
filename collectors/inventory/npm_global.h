// Node.js packages installed host-wide with `npm install -g`: the package folders under the
// global node_modules directories. Not a lockfile: a host-level source.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/inventory/inventory_source.h"
#include "core/base/bounded_file.h"
#include "core/base/result.h"
#include "core/model/model.h"

namespace patchparty::inventory {

// Where `npm install -g` puts packages on Linux: <prefix>/lib/node_modules.
//   /usr/local/lib/node_modules  Debian's and Ubuntu's npm (global prefix /usr/local), and
//                                node built or unpacked into /usr/local;
//   /usr/lib/node_modules        node packaged with prefix /usr (NodeSource, nodejs.org-based
//                                packages): also where the npm and corepack bundled with it live.
// Not read: /usr/share/nodejs and /usr/lib/nodejs hold Debian's own node-* packages, which the
// dpkg inventory reports with their Debian versions (as npm versions they would miss fixes
// Debian backports). A prefix configured elsewhere (npm's `prefix`, nvm) is passed explicitly.
std::vector<std::filesystem::path> default_npm_global_dirs();

// One package.json as the package folder at `location` holds it: "name" and "version" strings,
// printable ASCII without spaces. Invalid JSON is data_loss, another shape invalid_argument.
[[nodiscard]] Result<Package> parse_npm_package_json(std::string_view json,
                                                     std::string_view location);

struct NpmGlobalScan {
  std::vector<Package> packages;
  // Package folders that could not be read: no package.json, one over the size cap, invalid
  // JSON, or no printable "name" and "version" strings. They are left out, not guessed.
  std::size_t skipped = 0;
};

// Every package folder below each of `dirs` ("<dir>/name" and "<dir>/@scope/name") and, inside
// each, its own dependencies in a nested node_modules, read from its package.json ("name" and
// "version"; each file capped at `max_bytes`): a globally installed tool's dependencies are code
// on the host too (npm 7+ installs them nested in the tool's folder, and npm itself bundles
// its own). Each folder's packages in sorted order, the given folders first, then the nested
// ones level by level; at most kMaxNpmNesting levels deep and kMaxNpmGlobalFolders folders in all
// (more is resource_exhausted). Ecosystem "npm", origin "npm-global", project empty (host-level),
// location the package folder, so two copies of one package at two places are two packages. Missing
// directories are skipped. Not read: names starting with '.' (".bin", ".package-lock.json") and
// symlinks (`npm link` puts working copies there, not registry packages). A directory that exists
// but cannot be listed is an error from errno_error.
inline constexpr int kMaxNpmNesting = 32;
inline constexpr std::size_t kMaxNpmGlobalFolders = 200000;
[[nodiscard]] Result<NpmGlobalScan> scan_npm_global(const std::vector<std::filesystem::path>& dirs,
                                                    std::size_t max_bytes = kDefaultMaxFileBytes);

class NpmGlobal final : public InventorySource {
 public:
  explicit NpmGlobal(std::vector<std::filesystem::path> dirs = default_npm_global_dirs(),
                     std::size_t max_bytes = kDefaultMaxFileBytes);

  std::string_view name() const override { return "npm-global"; }
  [[nodiscard]] Result<std::vector<Package>> scan() override;
  // Package folders the last scan() left out (NpmGlobalScan::skipped).
  std::size_t skipped() const { return skipped_; }
  std::vector<std::string> notes() const override {
    if (!skipped_) return {};
    return {std::to_string(skipped_) +
            " package folders without a readable package.json name and version"};
  }

 private:
  std::vector<std::filesystem::path> dirs_;
  std::size_t max_bytes_;
  std::size_t skipped_ = 0;
};

}  // namespace patchparty::inventory
