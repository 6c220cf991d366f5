// The one list of inventory source kinds.
#pragma once

namespace patchparty::inventory {

// Adds every built-in kind, host databases first in the order plan_inventory reads them. Called
// by the executables at start-up and by tests that plan an inventory; the list is added once per
// process however often it is called.
void register_builtin_sources();

}  // namespace patchparty::inventory
