#include "collectors/inventory/poetry_lock.h"

#include <algorithm>
#include <utility>

#include "collectors/inventory/lock_toml.h"

namespace patchparty::inventory {

namespace {

// Names and versions reach metric labels, reports and command lines: printable ASCII without
// spaces, which every PyPI name and PEP 440 version is.
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

Package make_package(std::string name, std::string version, std::string_view project,
                     std::string_view label) {
  Package p;
  p.ecosystem = "PyPI";
  p.name = std::move(name);
  p.version = std::move(version);
  p.source_name = p.name;
  p.source_version = p.version;
  p.origin = "poetry";
  p.project = std::string(project);
  p.location = std::string(label);
  return p;
}

}  // namespace

Result<std::vector<Package>> parse_poetry_lock(std::string_view text, std::string_view project,
                                               std::string_view label_view) {
  const std::string label(label_view);
  PP_TRY(doc, parse_lock_toml(text, label));
  const toml::node* packages = doc.get("package");
  const toml::node* metadata = doc.get("metadata");
  if (!packages && !metadata)
    return fail(Errc::invalid_argument,
                label + ": neither a \"package\" array nor a [metadata] table, not a poetry.lock");
  PP_CHECK(check_metadata_lock_version(doc, "lock-version", 1, label));
  std::vector<Package> out;
  if (!packages) return out;
  if (!packages->is_array_of_tables() && !(packages->is_array() && packages->as_array()->empty()))
    return fail(Errc::invalid_argument, label + ": \"package\" is not an array of tables");
  std::size_t i = 0;
  for (const toml::node& node : *packages->as_array()) {
    const toml::table& entry = *node.as_table();
    std::string where = label + ": package[" + std::to_string(i++) + "]";
    const auto* name = string_at(entry, "name");
    if (!name) return fail(Errc::invalid_argument, where + ": no \"name\" string");
    if (!is_token(name->get()))
      return fail(Errc::invalid_argument,
                  where + ": \"name\" is not printable ASCII without spaces");
    where += " (" + name->get() + ")";
    const auto* version = string_at(entry, "version");
    if (!version) return fail(Errc::invalid_argument, where + ": no \"version\" string");
    if (!is_token(version->get()))
      return fail(Errc::invalid_argument,
                  where + ": \"version\" is not printable ASCII without spaces");
    if (const toml::node* source = entry.get("source")) {
      if (!source->is_table())
        return fail(Errc::invalid_argument, where + ": \"source\" is not a table");
      const auto* type = string_at(*source->as_table(), "type");
      if (type && (type->get() == "git" || type->get() == "directory" || type->get() == "file" ||
                   type->get() == "url"))
        continue;
    }
    Package p = make_package(name->get(), version->get(), project, label);
    if (const auto* category = string_at(entry, "category")) p.dev = category->get() == "dev";
    if (const toml::node* groups = entry.get("groups")) {
      if (!groups->is_array())
        return fail(Errc::invalid_argument, where + ": \"groups\" is not an array");
      p.dev = !has_string(*groups->as_array(), "main");
    }
    if (const toml::node* optional = entry.get("optional")) {
      if (!optional->is_boolean())
        return fail(Errc::invalid_argument, where + ": \"optional\" is not a boolean");
      p.optional = optional->as_boolean()->get();
    }
    out.push_back(std::move(p));
  }
  return out;
}

PoetryLock::PoetryLock(std::filesystem::path lock_file, std::string project, std::size_t max_bytes)
    : lock_file_(std::move(lock_file)), project_(std::move(project)), max_bytes_(max_bytes) {}

Result<std::vector<Package>> PoetryLock::scan() {
  PP_TRY(text, read_bounded_file(lock_file_, max_bytes_));
  return parse_poetry_lock(text, project_, lock_file_.string());
}

InventoryKind poetry_inventory_kind() {
  InventoryKind k;
  k.name = "poetry";
  k.lockfile_names = {"poetry.lock"};
  k.lockfile_ecosystem = "PyPI";
  k.open_lockfile = [](const std::filesystem::path& file, const std::string& project,
                       std::size_t max_bytes) -> std::unique_ptr<InventorySource> {
    return std::make_unique<PoetryLock>(file, project, max_bytes);
  };
  return k;
}

}  // namespace patchparty::inventory
