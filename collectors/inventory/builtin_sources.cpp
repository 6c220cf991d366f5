#include "collectors/inventory/builtin_sources.h"

#include <mutex>

#include "collectors/inventory/apk_installed.h"
#include "collectors/inventory/bun_lock.h"
#include "collectors/inventory/cargo_lock.h"
#include "collectors/inventory/composer_lock.h"
#include "collectors/inventory/cyclonedx_sbom.h"
#include "collectors/inventory/dpkg_status.h"
#include "collectors/inventory/gemfile_lock.h"
#include "collectors/inventory/go_binary.h"
#include "collectors/inventory/go_mod.h"
#include "collectors/inventory/gradle_lockfile.h"
#include "collectors/inventory/installed_apps.h"
#include "collectors/inventory/maven_pom.h"
#include "collectors/inventory/package_lock.h"
#include "collectors/inventory/pdm_lock.h"
#include "collectors/inventory/pipfile_lock.h"
#include "collectors/inventory/pnpm_lock.h"
#include "collectors/inventory/poetry_lock.h"
#include "collectors/inventory/pylock_toml.h"
#include "collectors/inventory/requirements_txt.h"
#include "collectors/inventory/rpm_db.h"
#include "collectors/inventory/spdx_sbom.h"
#include "collectors/inventory/uv_lock.h"
#include "collectors/inventory/yarn_lock.h"

namespace patchparty::inventory {

void register_builtin_sources() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Host package databases.
    add_inventory_kind(dpkg_inventory_kind());
    add_inventory_kind(rpm_inventory_kind());
    add_inventory_kind(apk_inventory_kind());
    // Application packages installed outside projects.
    add_inventory_kind(python_site_inventory_kind());
    add_inventory_kind(npm_global_inventory_kind());
    // Lockfiles and manifests, in the order a project directory is searched.
    add_inventory_kind(composer_inventory_kind());
    add_inventory_kind(npm_inventory_kind());
    add_inventory_kind(yarn_inventory_kind());
    add_inventory_kind(pnpm_inventory_kind());
    add_inventory_kind(bun_inventory_kind());
    add_inventory_kind(requirements_inventory_kind());
    add_inventory_kind(pipenv_inventory_kind());
    add_inventory_kind(poetry_inventory_kind());
    add_inventory_kind(uv_inventory_kind());
    add_inventory_kind(pdm_inventory_kind());
    add_inventory_kind(pylock_inventory_kind());
    add_inventory_kind(gomod_inventory_kind());
    add_inventory_kind(cargo_inventory_kind());
    add_inventory_kind(bundler_inventory_kind());
    add_inventory_kind(maven_inventory_kind());
    add_inventory_kind(gradle_inventory_kind());
    // Named by path: Go binaries.
    add_inventory_kind(gobinary_inventory_kind());
    // Named by path: SBOMs, their packages of any ecosystem.
    add_inventory_kind(cyclonedx_inventory_kind());
    add_inventory_kind(spdx_inventory_kind());
  });
}

}  // namespace patchparty::inventory
