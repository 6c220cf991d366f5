// Application packages installed on the host outside any project, as inventory kinds planned
// from the configuration: Python distributions (inventory.python_site) and npm's global
// packages (inventory.npm_global).
#pragma once

#include "collectors/inventory/inventory_kind.h"

namespace patchparty::inventory {

// "python-site": PythonSite over inventory.python_site.paths, expanded under the root.
InventoryKind python_site_inventory_kind();
// "npm-global": NpmGlobal over inventory.npm_global.paths, expanded under the root.
InventoryKind npm_global_inventory_kind();

}  // namespace patchparty::inventory
