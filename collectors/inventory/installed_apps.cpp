#include "collectors/inventory/installed_apps.h"

#include <algorithm>
#include <system_error>

#include "collectors/inventory/npm_global.h"
#include "collectors/inventory/path_patterns.h"
#include "collectors/inventory/python_site.h"

namespace patchparty::inventory {

namespace {

// The directories of a source that exist now, its patterns expanded under the root.
std::vector<std::filesystem::path> existing_dirs(const config::InventoryConfig& inv,
                                                 const config::InstalledAppsSource& source) {
  std::vector<std::filesystem::path> dirs;
  for (auto& dir : expand_path_patterns(inv.root, "/", source.paths)) {
    std::error_code ec;
    if (std::filesystem::is_directory(dir, ec)) dirs.push_back(std::move(dir));
  }
  return dirs;
}

std::string joined(const std::vector<std::string>& paths) {
  std::string out;
  for (const auto& p : paths) out += (out.empty() ? "" : ", ") + p;
  return out;
}

template <class Open>
InventoryKind installed_kind(std::string name, std::string ecosystem,
                             config::InstalledAppsSource config::InventoryConfig::*member,
                             Open open) {
  InventoryKind k;
  k.name = name;
  k.app_packages = true;
  // Which advisories these packages need, as a lockfile kind says it.
  k.lockfile_ecosystem = std::move(ecosystem);
  k.open_directories = open;
  k.plan = [name, member, open](const config::InventoryConfig& inv,
                                const std::string&) -> std::optional<PlannedSource> {
    const config::InstalledAppsSource& source = inv.*member;
    if (source.enabled == config::Toggle::off) return std::nullopt;
    auto dirs = existing_dirs(inv, source);
    if (dirs.empty()) {
      if (source.enabled == config::Toggle::automatic) return std::nullopt;
      return PlannedSource{name, "", joined(source.paths), nullptr,
                           Error{Errc::not_found, "no directory matches " + joined(source.paths)}};
    }
    std::string where = dirs.front().string();
    if (dirs.size() > 1) where += " and " + std::to_string(dirs.size() - 1) + " more";
    return PlannedSource{name, "", where, open(dirs, static_cast<std::size_t>(inv.max_file_bytes)),
                         std::nullopt};
  };
  return k;
}

}  // namespace

InventoryKind python_site_inventory_kind() {
  return installed_kind("python-site", "PyPI", &config::InventoryConfig::python_site,
                        [](const std::vector<std::filesystem::path>& dirs,
                           std::size_t max_bytes) -> std::unique_ptr<InventorySource> {
                          // METADATA headers are small: the per-file cap stays the reader's own
                          // unless the inventory's is smaller.
                          return std::make_unique<PythonSite>(
                              dirs, std::min(max_bytes, kDefaultMaxPythonMetadataBytes));
                        });
}

InventoryKind npm_global_inventory_kind() {
  return installed_kind("npm-global", "npm", &config::InventoryConfig::npm_global,
                        [](const std::vector<std::filesystem::path>& dirs,
                           std::size_t max_bytes) -> std::unique_ptr<InventorySource> {
                          return std::make_unique<NpmGlobal>(dirs, max_bytes);
                        });
}

}  // namespace patchparty::inventory
