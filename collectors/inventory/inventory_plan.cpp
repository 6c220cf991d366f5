#include "collectors/inventory/inventory_plan.h"

#include <array>
#include <system_error>

#include "collectors/inventory/apk_installed.h"
#include "collectors/inventory/composer_lock.h"
#include "collectors/inventory/dpkg_status.h"
#include "collectors/inventory/os_release.h"
#include "collectors/inventory/package_lock.h"
#include "collectors/inventory/rpm_db.h"
#include "core/base/bounded_file.h"

namespace patchparty::inventory {

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 3> kLockfiles{{
    {"composer.lock", "composer"},
    {"package-lock.json", "npm"},
    {"npm-shrinkwrap.json", "npm"},
}};

bool file_exists(const std::filesystem::path& p) {
  std::error_code ec;
  return std::filesystem::exists(p, ec);
}

// Whether to read a database: "auto" only when its file is there, "true" always (a missing file
// then becomes that source's error), "false" never.
bool wanted(config::Toggle t, const std::filesystem::path& file) {
  return t == config::Toggle::on || (t == config::Toggle::automatic && file_exists(file));
}

PlannedSource planned(std::string kind, std::string project, const std::filesystem::path& path,
                      std::unique_ptr<InventorySource> source) {
  return PlannedSource{std::move(kind), std::move(project), path.string(), std::move(source),
                       std::nullopt};
}

PlannedSource planned_error(std::string kind, std::string project,
                            const std::filesystem::path& path, Error e) {
  return PlannedSource{std::move(kind), std::move(project), path.string(), nullptr, std::move(e)};
}

// OSV ecosystems for a database when os-release cannot name the distribution: the base name
// still selects the right comparator, only release-specific advisories are missed.
std::string fallback_ecosystem(std::string_view kind) {
  if (kind == "dpkg") return "Debian";
  if (kind == "rpm") return "Red Hat";
  return "Alpine";
}

}  // namespace

std::optional<std::string> lockfile_kind(std::string_view file_name) {
  for (const auto& [name, kind] : kLockfiles) {
    if (name == file_name) return std::string(kind);
  }
  return std::nullopt;
}

InventoryPlan plan_inventory(const config::Config& config) {
  const auto& inv = config.inventory;
  InventoryPlan plan;
  auto os = read_os_release(inv.root);
  if (os) {
    auto eco = osv_ecosystem(*os);
    if (eco) {
      plan.host_ecosystem = *eco;
    } else {
      plan.warnings.push_back("os-release: " + eco.error().message);
    }
  } else {
    plan.warnings.push_back("os-release: " + os.error().message);
  }
  auto eco_for = [&](std::string_view kind) {
    return plan.host_ecosystem.empty() ? fallback_ecosystem(kind) : plan.host_ecosystem;
  };
  auto max_bytes = static_cast<std::size_t>(inv.max_file_bytes);

  // Distroless images have no status file, only one stanza file per package in status.d.
  if (auto file = under_root(inv.root, inv.dpkg.path);
      wanted(inv.dpkg.enabled, file) ||
      wanted(inv.dpkg.enabled, under_root(inv.root, inv.dpkg_status_dir))) {
    DpkgStatusOptions o;
    o.root = inv.root;
    o.status_file = inv.dpkg.path;
    o.status_dir = inv.dpkg_status_dir;
    o.max_bytes = max_bytes;
    plan.sources.push_back(
        planned("dpkg", "", file, std::make_unique<DpkgStatus>(eco_for("dpkg"), o)));
  }
  if (auto file = under_root(inv.root, inv.rpm.path); wanted(inv.rpm.enabled, file)) {
    plan.sources.push_back(
        planned("rpm", "", file, std::make_unique<RpmDb>(eco_for("rpm"), inv.rpm.path, inv.root)));
  }
  if (auto file = under_root(inv.root, inv.apk.path); wanted(inv.apk.enabled, file)) {
    ApkInstalledOptions o;
    o.root = inv.root;
    o.installed_file = inv.apk.path;
    o.max_bytes = max_bytes;
    plan.sources.push_back(
        planned("apk", "", file, std::make_unique<ApkInstalled>(eco_for("apk"), o)));
  }

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
      for (const auto& [name, kind] : kLockfiles) {
        if (file_exists(dir / name)) names.emplace_back(name);
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
      } else if (*kind == "composer") {
        plan.sources.push_back(
            planned(*kind, project.name, file,
                    std::make_unique<ComposerLock>(file, project.name, max_bytes)));
      } else {
        plan.sources.push_back(
            planned(*kind, project.name, file,
                    std::make_unique<PackageLock>(file, project.name, max_bytes)));
      }
    }
  }
  return plan;
}

}  // namespace patchparty::inventory
