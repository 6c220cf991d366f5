#include "collectors/inventory/pylock_toml.h"

#include <algorithm>
#include <utility>

#include "collectors/inventory/lock_toml.h"

namespace patchparty::inventory {

namespace {

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

}  // namespace

Result<std::vector<Package>> parse_pylock_toml(std::string_view text, std::string_view project,
                                               std::string_view label_view) {
  const std::string label(label_view);
  PP_TRY(doc, parse_lock_toml(text, label));
  const toml::node* lock_version = doc.get("lock-version");
  if (!lock_version || !lock_version->is_string())
    return fail(Errc::invalid_argument, label + ": no \"lock-version\" string, not a pylock.toml");
  const std::string& version_text = lock_version->as_string()->get();
  if (lock_version_major(version_text) != 1)
    return fail(Errc::failed_precondition,
                label + ": lock-version \"" + version_text + "\" is not supported (1.x is)");

  std::vector<Package> out;
  const toml::node* packages = doc.get("packages");
  if (!packages) return out;
  if (!packages->is_array())
    return fail(Errc::invalid_argument, label + ": \"packages\" is not an array of tables");
  std::size_t i = 0;
  for (const toml::node& node : *packages->as_array()) {
    std::string where = label + ": packages[" + std::to_string(i++) + "]";
    if (!node.is_table()) return fail(Errc::invalid_argument, where + ": not a table");
    const toml::table& entry = *node.as_table();
    const toml::node* name = entry.get("name");
    if (!name || !name->is_string())
      return fail(Errc::invalid_argument, where + ": no \"name\" string");
    if (!is_token(name->as_string()->get()))
      return fail(Errc::invalid_argument,
                  where + ": \"name\" is not printable ASCII without spaces");
    where += " (" + name->as_string()->get() + ")";
    if (entry.contains("vcs") || entry.contains("directory") || entry.contains("archive")) continue;
    const toml::node* version = entry.get("version");
    if (!version) continue;
    if (!version->is_string() || !is_token(version->as_string()->get()))
      return fail(Errc::invalid_argument,
                  where + ": \"version\" is not a printable ASCII string without spaces");
    Package p;
    p.ecosystem = "PyPI";
    p.name = name->as_string()->get();
    p.version = version->as_string()->get();
    p.source_name = p.name;
    p.source_version = p.version;
    p.origin = "pylock";
    p.project = std::string(project);
    p.location = label;
    out.push_back(std::move(p));
  }
  return out;
}

PylockToml::PylockToml(std::filesystem::path lock_file, std::string project, std::size_t max_bytes)
    : lock_file_(std::move(lock_file)), project_(std::move(project)), max_bytes_(max_bytes) {}

Result<std::vector<Package>> PylockToml::scan() {
  PP_TRY(text, read_bounded_file(lock_file_, max_bytes_));
  return parse_pylock_toml(text, project_, lock_file_.string());
}

InventoryKind pylock_inventory_kind() {
  InventoryKind k;
  k.name = "pylock";
  k.lockfile_names = {"pylock.toml"};
  k.lockfile_ecosystem = "PyPI";
  k.open_lockfile = [](const std::filesystem::path& file, const std::string& project,
                       std::size_t max_bytes) -> std::unique_ptr<InventorySource> {
    return std::make_unique<PylockToml>(file, project, max_bytes);
  };
  return k;
}

}  // namespace patchparty::inventory
