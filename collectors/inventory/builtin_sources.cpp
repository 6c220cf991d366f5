#include "collectors/inventory/builtin_sources.h"

#include <mutex>

#include "collectors/inventory/apk_installed.h"
#include "collectors/inventory/composer_lock.h"
#include "collectors/inventory/dpkg_status.h"
#include "collectors/inventory/package_lock.h"
#include "collectors/inventory/rpm_db.h"

namespace patchparty::inventory {

void register_builtin_sources() {
  static std::once_flag once;
  std::call_once(once, [] {
    add_inventory_kind(dpkg_inventory_kind());
    add_inventory_kind(rpm_inventory_kind());
    add_inventory_kind(apk_inventory_kind());
    add_inventory_kind(composer_inventory_kind());
    add_inventory_kind(npm_inventory_kind());
  });
}

}  // namespace patchparty::inventory
