#include "collectors/inventory/cargo_lock.h"

#include <algorithm>
#include <utility>

#include "collectors/inventory/lock_toml.h"

namespace patchparty::inventory {

namespace {

constexpr std::int64_t kNewestFormat = 4;

// Names and versions reach metric labels, reports and command lines.
bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

bool from_registry(std::string_view source) {
  return source.starts_with("registry+") || source.starts_with("sparse+");
}

}  // namespace

Result<std::vector<Package>> parse_cargo_lock(std::string_view text, std::string_view project,
                                              std::string_view label_view) {
  const std::string label(label_view);
  PP_TRY(doc, parse_lock_toml(text, label_view));
  if (const toml::node* version = doc.get("version")) {
    const auto* number = version->as_integer();
    if (!number) return fail(Errc::invalid_argument, label + ": \"version\" is not an integer");
    if (number->get() < 1 || number->get() > kNewestFormat)
      return fail(Errc::failed_precondition,
                  label + ": Cargo.lock version " + std::to_string(number->get()) +
                      " is not supported (1 to " + std::to_string(kNewestFormat) + " are)");
  }
  std::vector<Package> out;
  const toml::node* packages = doc.get("package");
  if (!packages) return out;
  const toml::array* list = packages->as_array();
  if (!list) return fail(Errc::invalid_argument, label + ": \"package\" is not an array of tables");
  std::size_t index = 0;
  for (const toml::node& node : *list) {
    const std::string where = label + ": package[" + std::to_string(index++) + "]";
    const toml::table* entry = node.as_table();
    if (!entry) return fail(Errc::invalid_argument, where + ": not a table");
    const auto name = entry->get_as<std::string>("name");
    const auto version = entry->get_as<std::string>("version");
    if (!name || !version)
      return fail(Errc::invalid_argument, where + ": no \"name\" and \"version\" strings");
    if (!is_token(name->get()) || !is_token(version->get()))
      return fail(Errc::invalid_argument,
                  where + ": name or version is not printable ASCII without spaces");
    const toml::node* source = entry->get("source");
    if (!source) continue;
    if (!source->is_string())
      return fail(Errc::invalid_argument, where + ": \"source\" is not a string");
    if (!from_registry(source->as_string()->get())) continue;
    Package p;
    p.ecosystem = "crates.io";
    p.name = name->get();
    p.version = version->get();
    p.source_name = p.name;
    p.source_version = p.version;
    p.origin = "cargo";
    p.project = std::string(project);
    p.location = label;
    out.push_back(std::move(p));
  }
  return out;
}

CargoLock::CargoLock(std::filesystem::path lock_file, std::string project, std::size_t max_bytes)
    : lock_file_(std::move(lock_file)), project_(std::move(project)), max_bytes_(max_bytes) {}

Result<std::vector<Package>> CargoLock::scan() {
  PP_TRY(text, read_bounded_file(lock_file_, max_bytes_));
  return parse_cargo_lock(text, project_, lock_file_.string());
}

InventoryKind cargo_inventory_kind() {
  InventoryKind k;
  k.name = "cargo";
  k.lockfile_names = {"Cargo.lock"};
  k.lockfile_ecosystem = "crates.io";
  k.open_lockfile = [](const std::filesystem::path& file, const std::string& project,
                       std::size_t max_bytes) -> std::unique_ptr<InventorySource> {
    return std::make_unique<CargoLock>(file, project, max_bytes);
  };
  return k;
}

}  // namespace patchparty::inventory
