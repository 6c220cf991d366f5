#include "collectors/inventory/uv_lock.h"

#include <algorithm>
#include <map>
#include <optional>
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

struct Ref {
  std::string name;
  std::optional<std::string> version;
};

enum class Source { registry, project, other };

struct Entry {
  std::string name, version;
  Source source = Source::other;
  std::vector<Ref> production;  // dependencies and optional-dependencies
  std::vector<Ref> dev;         // dev-dependencies
};

Result<> read_refs(const toml::node& list, const std::string& where, std::vector<Ref>& out) {
  if (!list.is_array()) return fail(Errc::invalid_argument, where + " is not an array");
  for (const toml::node& item : *list.as_array()) {
    const toml::table* t = item.as_table();
    const toml::value<std::string>* name = t ? string_at(*t, "name") : nullptr;
    if (!name) return fail(Errc::invalid_argument, where + ": an entry without a \"name\" string");
    Ref ref{name->get(), std::nullopt};
    if (const toml::value<std::string>* version = string_at(*t, "version"))
      ref.version = version->get();
    out.push_back(std::move(ref));
  }
  return {};
}

// `[package.optional-dependencies]` and `[package.dev-dependencies]`: group name -> list.
Result<> read_groups(const toml::table& entry, std::string_view key, const std::string& where,
                     std::vector<Ref>& out) {
  const toml::node* groups = entry.get(key);
  if (!groups) return {};
  if (!groups->is_table())
    return fail(Errc::invalid_argument, where + ": \"" + std::string(key) + "\" is not a table");
  for (const auto& [group, list] : *groups->as_table())
    PP_CHECK(
        read_refs(list, where + ": " + std::string(key) + "." + std::string(group.str()), out));
  return {};
}

Result<Entry> read_entry(const toml::table& t, const std::string& index_where) {
  Entry e;
  const toml::value<std::string>* name = string_at(t, "name");
  if (!name) return fail(Errc::invalid_argument, index_where + ": no \"name\" string");
  if (!is_token(name->get()))
    return fail(Errc::invalid_argument,
                index_where + ": \"name\" is not printable ASCII without spaces");
  e.name = name->get();
  const std::string where = index_where + " (" + e.name + ")";
  const toml::node* source = t.get("source");
  if (!source || !source->is_table())
    return fail(Errc::invalid_argument, where + ": no \"source\" table");
  const toml::table& s = *source->as_table();
  if (s.contains("registry"))
    e.source = Source::registry;
  else if (s.contains("virtual") || s.contains("editable"))
    e.source = Source::project;
  if (const toml::node* version = t.get("version")) {
    if (!version->is_string() || !is_token(version->as_string()->get()))
      return fail(Errc::invalid_argument,
                  where + ": \"version\" is not a printable ASCII string without spaces");
    e.version = version->as_string()->get();
  } else if (e.source == Source::registry) {
    return fail(Errc::invalid_argument, where + ": registry package without a \"version\"");
  }
  if (const toml::node* deps = t.get("dependencies"))
    PP_CHECK(read_refs(*deps, where + ": dependencies", e.production));
  PP_CHECK(read_groups(t, "optional-dependencies", where, e.production));
  PP_CHECK(read_groups(t, "dev-dependencies", where, e.dev));
  return e;
}

// Marks every package reachable from `start` through production edges; an explicit work list,
// since dependency chains are as long as the input makes them.
void reach(const std::vector<Entry>& entries,
           const std::multimap<std::string, std::size_t, std::less<>>& by_name,
           std::vector<std::size_t> work, std::vector<bool>& seen) {
  for (std::size_t i : work) seen[i] = true;
  while (!work.empty()) {
    const std::size_t i = work.back();
    work.pop_back();
    for (const Ref& ref : entries[i].production) {
      auto [lo, hi] = by_name.equal_range(ref.name);
      for (auto it = lo; it != hi; ++it) {
        const std::size_t j = it->second;
        if (seen[j] || (ref.version && entries[j].version != *ref.version)) continue;
        seen[j] = true;
        work.push_back(j);
      }
    }
  }
}

}  // namespace

Result<std::vector<Package>> parse_uv_lock(std::string_view text, std::string_view project,
                                           std::string_view label_view) {
  const std::string label(label_view);
  PP_TRY(doc, parse_lock_toml(text, label));
  const toml::node* version = doc.get("version");
  if (!version || !version->is_integer())
    return fail(Errc::invalid_argument, label + ": no integer \"version\", not a uv.lock");
  if (version->as_integer()->get() != 1)
    return fail(Errc::failed_precondition, label + ": version " +
                                               std::to_string(version->as_integer()->get()) +
                                               " is not supported (1 is)");

  std::vector<Entry> entries;
  if (const toml::node* packages = doc.get("package")) {
    if (!packages->is_array())
      return fail(Errc::invalid_argument, label + ": \"package\" is not an array of tables");
    std::size_t i = 0;
    for (const toml::node& node : *packages->as_array()) {
      const std::string where = label + ": package[" + std::to_string(i++) + "]";
      if (!node.is_table()) return fail(Errc::invalid_argument, where + ": not a table");
      PP_TRY(entry, read_entry(*node.as_table(), where));
      entries.push_back(std::move(entry));
    }
  }

  std::multimap<std::string, std::size_t, std::less<>> by_name;
  std::vector<std::size_t> roots;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    by_name.emplace(entries[i].name, i);
    if (entries[i].source == Source::project) roots.push_back(i);
  }
  std::vector<bool> production(entries.size(), false);
  reach(entries, by_name, roots, production);
  std::vector<std::size_t> dev_starts;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (!production[i]) continue;
    for (const Ref& ref : entries[i].dev) {
      auto [lo, hi] = by_name.equal_range(ref.name);
      for (auto it = lo; it != hi; ++it)
        if (!ref.version || entries[it->second].version == *ref.version)
          dev_starts.push_back(it->second);
    }
  }
  std::vector<bool> dev_reachable(entries.size(), false);
  reach(entries, by_name, std::move(dev_starts), dev_reachable);

  std::vector<Package> out;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    Entry& e = entries[i];
    if (e.source != Source::registry) continue;
    Package p;
    p.ecosystem = "PyPI";
    p.name = std::move(e.name);
    p.version = std::move(e.version);
    p.source_name = p.name;
    p.source_version = p.version;
    p.origin = "uv";
    p.project = std::string(project);
    p.location = label;
    p.dev = dev_reachable[i] && !production[i];
    out.push_back(std::move(p));
  }
  return out;
}

UvLock::UvLock(std::filesystem::path lock_file, std::string project, std::size_t max_bytes)
    : lock_file_(std::move(lock_file)), project_(std::move(project)), max_bytes_(max_bytes) {}

Result<std::vector<Package>> UvLock::scan() {
  PP_TRY(text, read_bounded_file(lock_file_, max_bytes_));
  return parse_uv_lock(text, project_, lock_file_.string());
}

InventoryKind uv_inventory_kind() {
  InventoryKind k;
  k.name = "uv";
  k.lockfile_names = {"uv.lock"};
  k.lockfile_ecosystem = "PyPI";
  k.open_lockfile = [](const std::filesystem::path& file, const std::string& project,
                       std::size_t max_bytes) -> std::unique_ptr<InventorySource> {
    return std::make_unique<UvLock>(file, project, max_bytes);
  };
  return k;
}

}  // namespace patchparty::inventory
