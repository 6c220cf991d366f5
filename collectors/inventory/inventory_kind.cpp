#include "collectors/inventory/inventory_kind.h"

#include <system_error>

namespace patchparty::inventory {

namespace {

Registry<InventoryKind>& registry() {
  static Registry<InventoryKind> kinds{"inventory source kind"};
  return kinds;
}

}  // namespace

void add_inventory_kind(InventoryKind kind) {
  std::string name = kind.name;
  registry().add(std::move(name), std::move(kind));
}

const Registry<InventoryKind>& inventory_kinds() {
  return registry();
}

bool wanted(config::Toggle toggle, const std::filesystem::path& file) {
  std::error_code ec;
  return toggle == config::Toggle::on ||
         (toggle == config::Toggle::automatic && std::filesystem::exists(file, ec));
}

}  // namespace patchparty::inventory
