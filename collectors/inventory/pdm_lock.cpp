#include "collectors/inventory/pdm_lock.h"

#include <algorithm>
#include <utility>

#include "collectors/inventory/lock_toml.h"

namespace patchparty::inventory {

namespace {

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

const toml::value<std::string>* string_at(const toml::table& t, std::string_view key) {
  const toml::node* n = t.get(key);
  return n ? n->as_string() : nullptr;
}

bool has_string(const toml::array& a, std::string_view s) {
  return std::any_of(a.begin(), a.end(), [&](const toml::node& n) {
    const auto* str = n.as_string();
    return str && str->get() == s;
  });
}

}  // namespace

Result<std::vector<Package>> parse_pdm_lock(std::string_view text, std::string_view project,
                                            std::string_view label_view) {
  const std::string label(label_view);
  PP_TRY(doc, parse_lock_toml(text, label));
  const toml::node* packages = doc.get("package");
  const toml::node* metadata = doc.get("metadata");
  if (!packages && !metadata)
    return fail(Errc::invalid_argument,
                label + ": neither a \"package\" array nor a [metadata] table, not a pdm.lock");
  PP_CHECK(check_metadata_lock_version(doc, "lock_version", 3, label));
  std::vector<Package> out;
  if (!packages) return out;
  if (!packages->is_array())
    return fail(Errc::invalid_argument, label + ": \"package\" is not an array of tables");
  std::size_t i = 0;
  for (const toml::node& node : *packages->as_array()) {
    std::string where = label + ": package[" + std::to_string(i++) + "]";
    if (!node.is_table()) return fail(Errc::invalid_argument, where + ": not a table");
    const toml::table& entry = *node.as_table();
    const auto* name = string_at(entry, "name");
    if (!name) return fail(Errc::invalid_argument, where + ": no \"name\" string");
    if (!is_token(name->get()))
      return fail(Errc::invalid_argument,
                  where + ": \"name\" is not printable ASCII without spaces");
    where += " (" + name->get() + ")";
    if (entry.contains("git") || entry.contains("path") || entry.contains("url")) continue;
    const toml::node* version = entry.get("version");
    if (!version) continue;
    if (!version->is_string() || !is_token(version->as_string()->get()))
      return fail(Errc::invalid_argument,
                  where + ": \"version\" is not a printable ASCII string without spaces");
    Package p;
    p.ecosystem = "PyPI";
    p.name = name->get();
    p.version = version->as_string()->get();
    p.source_name = p.name;
    p.source_version = p.version;
    p.origin = "pdm";
    p.project = std::string(project);
    p.location = label;
    if (const toml::node* groups = entry.get("groups")) {
      if (!groups->is_array())
        return fail(Errc::invalid_argument, where + ": \"groups\" is not an array");
      p.dev = !has_string(*groups->as_array(), "default");
    }
    out.push_back(std::move(p));
  }
  return out;
}

PdmLock::PdmLock(std::filesystem::path lock_file, std::string project, std::size_t max_bytes)
    : lock_file_(std::move(lock_file)), project_(std::move(project)), max_bytes_(max_bytes) {}

Result<std::vector<Package>> PdmLock::scan() {
  PP_TRY(text, read_bounded_file(lock_file_, max_bytes_));
  return parse_pdm_lock(text, project_, lock_file_.string());
}

InventoryKind pdm_inventory_kind() {
  InventoryKind k;
  k.name = "pdm";
  k.lockfile_names = {"pdm.lock"};
  k.lockfile_ecosystem = "PyPI";
  k.open_lockfile = [](const std::filesystem::path& file, const std::string& project,
                       std::size_t max_bytes) -> std::unique_ptr<InventorySource> {
    return std::make_unique<PdmLock>(file, project, max_bytes);
  };
  return k;
}

}  // namespace patchparty::inventory
