#include "collectors/inventory/inventory_plan.h"

#include <system_error>

#include "collectors/inventory/host_ecosystem.h"
#include "collectors/inventory/inventory_kind.h"
#include "collectors/inventory/path_patterns.h"
#include "collectors/inventory/sbom_format.h"
#include "core/base/bounded_file.h"

namespace patchparty::inventory {

namespace {

bool file_exists(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::exists(p, ec);
}

PlannedSource planned_error(std::string kind, std::string project,
                            const std::filesystem::path& path, Error e) {
  return PlannedSource{std::move(kind), std::move(project), path.string(), nullptr, std::move(e)};
}

}  // namespace

std::optional<std::string> lockfile_kind(std::string_view file_name) {
  const auto& kinds = inventory_kinds();
  for (const auto& kind : kinds.names()) {
    for (const auto& name : kinds.find(kind)->lockfile_names)
      if (name == file_name) return kind;
  }
  return std::nullopt;
}

InventoryPlan plan_inventory(const config::Config& config) {
  const auto& inv = config.inventory;
  InventoryPlan plan;
  auto host = host_ecosystem(inv);
  if (host) plan.host_ecosystem = host->ecosystem;
  const auto& kinds = inventory_kinds();
  // A program that forgot register_builtin_sources() would otherwise plan nothing, quietly.
  if (kinds.names().empty())
    plan.warnings.push_back("no inventory source kinds are registered; nothing can be read");
  for (const auto& name : kinds.names()) {
    const InventoryKind& kind = *kinds.find(name);
    if (!kind.plan) continue;
    auto source = kind.plan(inv, plan.host_ecosystem);
    if (!source) continue;
    // Without its ecosystem a host database would match no advisory and report every package
    // clean: the source fails instead, visibly, and its last good snapshot stays current.
    if (!host && !kind.app_packages)
      source = planned_error(
          source->kind, "", source->path,
          Error{host.error().code, "the host's OSV ecosystem: " + host.error().message +
                                       " (set inventory.ecosystem to name it)"});
    plan.sources.push_back(std::move(*source));
  }
  auto max_bytes = static_cast<std::size_t>(inv.max_file_bytes);

  for (const auto& project : config.projects) {
    auto dir = under_root(inv.root, project.path);
    if (!std::filesystem::is_directory(dir)) {
      plan.sources.push_back(planned_error(
          "project", project.name, dir,
          Error{Errc::not_found,
                "project " + project.name + ": " + dir.string() + " is not a directory"}));
      continue;
    }
    std::vector<std::string> names = project.lockfiles;
    bool explicit_list = !names.empty();
    if (!explicit_list) {
      for (const auto& kind : kinds.names()) {
        for (const auto& name : kinds.find(kind)->lockfile_names)
          if (file_exists(dir / name)) names.push_back(name);
      }
      if (names.empty())
        plan.warnings.push_back("project " + project.name + ": no lockfile found in " +
                                dir.string());
    }
    for (const auto& name : names) {
      auto file = dir / name;
      auto kind = lockfile_kind(name);
      if (!kind) {
        plan.sources.push_back(planned_error(
            "project", project.name, file,
            Error{Errc::invalid_argument, "project " + project.name + ": " + name +
                                              " is not a lockfile patchparty reads"}));
      } else {
        plan.sources.push_back(PlannedSource{
            *kind, project.name, file.string(),
            kinds.find(*kind)->open_lockfile(file, project.name, max_bytes), std::nullopt});
      }
    }
    // Go binaries and SBOMs are named, not found: their file names are the project's own.
    auto add_named = [&](const std::string& kind_name, const std::filesystem::path& file) {
      const InventoryKind* kind = kinds.find(kind_name);
      if (!kind || !kind->open_lockfile) {
        plan.sources.push_back(planned_error(
            kind_name, project.name, file,
            Error{Errc::internal, "inventory kind " + kind_name + " is not registered"}));
        return;
      }
      plan.sources.push_back(PlannedSource{kind_name, project.name, file.string(),
                                           kind->open_lockfile(file, project.name, max_bytes),
                                           std::nullopt});
    };
    for (const auto& binary : expand_path_patterns(inv.root, project.path, project.binaries))
      add_named("gobinary", binary);
    for (const auto& sbom : project.sbom) {
      const auto file =
          under_root(inv.root, sbom.is_absolute() ? sbom : project.path / sbom).lexically_normal();
      add_named(sbom_kind(file), file);
    }
  }
  return plan;
}

}  // namespace patchparty::inventory
