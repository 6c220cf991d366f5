// An inventory source kind as its own file declares it: a host package database, planned from
// the inventory configuration, or a lockfile kind, opened for each project file it reads.
// plan_inventory asks the registry that register_builtin_sources() fills.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "collectors/inventory/inventory_plan.h"
#include "collectors/inventory/inventory_source.h"
#include "config/config.h"
#include "core/base/registry.h"

namespace patchparty::inventory {

struct InventoryKind {
  std::string name;  // "dpkg", "composer": the {source} label and PlannedSource::kind

  // Host databases. The source when the configuration and the host call for it, nullopt when
  // not; `ecosystem` is the host's (host_ecosystem.h).
  std::function<std::optional<PlannedSource>(const config::InventoryConfig& inventory,
                                             const std::string& ecosystem)>
      plan;
  // Host sources of application packages (python-site, npm-global): their ecosystems are their
  // own, so a host whose distribution cannot be told still reads them. `open_directories`
  // reads the packages installed in those directories (site-packages, node_modules).
  bool app_packages = false;
  std::function<std::unique_ptr<InventorySource>(const std::vector<std::filesystem::path>& dirs,
                                                 std::size_t max_bytes)>
      open_directories;

  // Lockfiles: the file names read, in the order a project directory is searched, the OSV
  // ecosystem of their packages (which advisories a project with one needs), and the source for
  // one of them.
  std::vector<std::string> lockfile_names;
  std::string lockfile_ecosystem;
  // SBOMs: their packages can be of any ecosystem, so which advisories they need is known only
  // from their content.
  bool ecosystems_from_content = false;
  std::function<std::unique_ptr<InventorySource>(const std::filesystem::path& file,
                                                 const std::string& project, std::size_t max_bytes)>
      open_lockfile;
};

// A name already registered aborts (core/base/registry.h).
void add_inventory_kind(InventoryKind kind);
const Registry<InventoryKind>& inventory_kinds();

// Whether to read a database: "auto" only when its file is there, "true" always (a missing file
// then becomes that source's error), "false" never.
bool wanted(config::Toggle toggle, const std::filesystem::path& file);

}  // namespace patchparty::inventory
