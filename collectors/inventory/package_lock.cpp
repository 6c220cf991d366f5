#include "collectors/inventory/package_lock.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <utility>

namespace patchparty::inventory {

namespace {

// Iterative parsing keeps deeply nested input from exhausting the stack; encoding validation
// keeps invalid UTF-8 out of names that end up in labels and reports.
constexpr unsigned kParseFlags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;

// Version 1 locations repeat every ancestor's path, so their total size grows with the square
// of the nesting depth; real trees are a few levels deep after npm 3's flattening.
constexpr std::size_t kMaxV1Depth = 64;
constexpr std::size_t kMaxV1LocationBytes = 64u << 20;

using Value = rapidjson::Value;

// Names reach metric labels, reports and command lines: printable ASCII without spaces, as npm
// requires of package names. Versions may be "file:" paths or git URLs, so only control
// characters are refused there.
bool is_name(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

Result<> check_package(const std::string& name, const std::string& version,
                       const std::string& where) {
  if (!is_name(name))
    return fail(Errc::invalid_argument,
                where + ": package name is not printable ASCII without spaces");
  if (has_control(version))
    return fail(Errc::invalid_argument, where + ": \"version\" has control characters");
  return {};
}

std::string str(const Value& v) {
  return std::string(v.GetString(), v.GetStringLength());
}

Result<bool> flag(const Value& entry, const char* key, const std::string& where) {
  auto it = entry.FindMember(key);
  if (it == entry.MemberEnd()) return false;
  if (!it->value.IsBool())
    return fail(Errc::invalid_argument, where + ": \"" + key + "\" is not a boolean");
  return it->value.GetBool();
}

Result<std::string> version_of(const Value& entry, const std::string& where) {
  auto it = entry.FindMember("version");
  if (it == entry.MemberEnd()) return std::string();
  if (!it->value.IsString())
    return fail(Errc::invalid_argument, where + ": \"version\" is not a string");
  return str(it->value);
}

Package make_package(std::string name, std::string version, std::string location,
                     std::string_view project) {
  Package p;
  p.ecosystem = "npm";
  p.name = std::move(name);
  p.version = std::move(version);
  p.source_name = p.name;
  p.source_version = p.version;
  p.origin = "npm";
  p.project = std::string(project);
  p.location = std::move(location);
  return p;
}

Result<std::vector<Package>> from_packages_map(const Value& map, std::string_view project,
                                               const std::string& label) {
  if (!map.IsObject())
    return fail(Errc::invalid_argument, label + ": \"packages\" is not an object");
  static constexpr std::string_view kSegment = "node_modules/";
  std::vector<Package> out;
  for (const auto& member : map.GetObject()) {
    std::string path = str(member.name);
    if (path.empty()) continue;
    const std::string where = label + ": packages[\"" + path + "\"]";
    if (!member.value.IsObject()) return fail(Errc::invalid_argument, where + ": not an object");
    const Value& entry = member.value;
    PP_TRY(link, flag(entry, "link", where));
    if (link) continue;
    const auto segment = path.rfind(kSegment);
    if (segment == std::string::npos || (segment != 0 && path[segment - 1] != '/')) continue;
    std::string name = path.substr(segment + kSegment.size());
    if (auto it = entry.FindMember("name"); it != entry.MemberEnd()) {
      if (!it->value.IsString())
        return fail(Errc::invalid_argument, where + ": \"name\" is not a string");
      if (it->value.GetStringLength() > 0) name = str(it->value);
    }
    if (name.empty()) return fail(Errc::invalid_argument, where + ": no package name");
    PP_TRY(version, version_of(entry, where));
    PP_CHECK(check_package(name, version, where));
    PP_TRY(dev, flag(entry, "dev", where));
    PP_TRY(optional, flag(entry, "optional", where));
    PP_TRY(dev_optional, flag(entry, "devOptional", where));
    Package p = make_package(std::move(name), std::move(version), std::move(path), project);
    p.dev = dev && !dev_optional;
    p.optional = optional || dev_optional;
    out.push_back(std::move(p));
  }
  return out;
}

// "npm:string-width@4.2.3" (an alias installed under another name) into its two parts.
void split_alias(std::string& name, std::string& version) {
  static constexpr std::string_view kAlias = "npm:";
  if (!version.starts_with(kAlias)) return;
  const std::string spec = version.substr(kAlias.size());
  const auto at = spec.rfind('@');
  if (at == std::string::npos || at == 0) return;
  name = spec.substr(0, at);
  version = spec.substr(at + 1);
}

Result<std::vector<Package>> from_dependencies_tree(const Value& tree, std::string_view project,
                                                    const std::string& label) {
  struct Level {
    const Value* dependencies;
    std::string prefix;  // "" or "node_modules/a/"
    std::size_t depth;
  };
  // An explicit stack instead of recursion: the depth is attacker-controlled.
  std::vector<Level> stack{{&tree, "", 1}};
  std::vector<Package> out;
  std::size_t location_bytes = 0;
  while (!stack.empty()) {
    Level level = std::move(stack.back());
    stack.pop_back();
    if (!level.dependencies->IsObject())
      return fail(Errc::invalid_argument,
                  label + ": \"dependencies\" of \"" + level.prefix + "\" is not an object");
    if (level.depth > kMaxV1Depth)
      return fail(Errc::resource_exhausted, label + ": dependencies nested deeper than " +
                                                std::to_string(kMaxV1Depth) + " levels");
    std::vector<Level> children;
    for (const auto& member : level.dependencies->GetObject()) {
      std::string key = str(member.name);
      std::string location = level.prefix + "node_modules/" + key;
      const std::string where = label + ": dependencies \"" + location + "\"";
      if (key.empty()) return fail(Errc::invalid_argument, where + ": empty package name");
      if (!member.value.IsObject()) return fail(Errc::invalid_argument, where + ": not an object");
      const Value& entry = member.value;
      location_bytes += location.size();
      if (location_bytes > kMaxV1LocationBytes)
        return fail(Errc::resource_exhausted, label + ": dependency paths exceed " +
                                                  std::to_string(kMaxV1LocationBytes) + " bytes");
      PP_TRY(version, version_of(entry, where));
      PP_TRY(dev, flag(entry, "dev", where));
      PP_TRY(optional, flag(entry, "optional", where));
      std::string name = key;
      split_alias(name, version);
      PP_CHECK(check_package(name, version, where));
      if (auto it = entry.FindMember("dependencies"); it != entry.MemberEnd())
        children.push_back(Level{&it->value, location + "/", level.depth + 1});
      Package p = make_package(std::move(name), std::move(version), std::move(location), project);
      p.dev = dev;
      p.optional = optional;
      out.push_back(std::move(p));
    }
    // Reversed, so that the stack yields children in file order.
    for (auto it = children.rbegin(); it != children.rend(); ++it) stack.push_back(std::move(*it));
  }
  return out;
}

}  // namespace

Result<std::vector<Package>> parse_package_lock(std::string_view json, std::string_view project,
                                                std::string_view label_view) {
  const std::string label(label_view);
  rapidjson::Document doc;
  doc.Parse<kParseFlags>(json.data(), json.size());
  if (doc.HasParseError())
    return fail(Errc::data_loss, label + ": invalid JSON at offset " +
                                     std::to_string(doc.GetErrorOffset()) + ": " +
                                     rapidjson::GetParseError_En(doc.GetParseError()));
  if (!doc.IsObject()) return fail(Errc::invalid_argument, label + ": top level is not an object");

  // Looked up through a const Value: RapidJSON 1.1's MemberIterator == MemberIterator is
  // ambiguous under C++20's reversed operators (clang rejects it); the const iterator's is not.
  const Value& root = doc;
  auto version = root.FindMember("lockfileVersion");
  auto packages = root.FindMember("packages");
  auto dependencies = root.FindMember("dependencies");
  if (version == root.MemberEnd())
    return fail(Errc::invalid_argument,
                label + ": no \"lockfileVersion\", not a package-lock.json");
  if (!version->value.IsInt())
    return fail(Errc::invalid_argument, label + ": \"lockfileVersion\" is not an integer");
  const int lockfile_version = version->value.GetInt();
  if (lockfile_version < 1 || lockfile_version > 3)
    return fail(Errc::failed_precondition, label + ": lockfileVersion " +
                                               std::to_string(lockfile_version) +
                                               " is not supported (1, 2 and 3 are)");

  if (lockfile_version >= 2) {
    if (packages == root.MemberEnd())
      return fail(Errc::invalid_argument, label + ": lockfileVersion " +
                                              std::to_string(lockfile_version) +
                                              " without a \"packages\" map");
    return from_packages_map(packages->value, project, label);
  }
  // npm 6 leaves "dependencies" out when the project has none.
  if (dependencies == root.MemberEnd()) return std::vector<Package>{};
  return from_dependencies_tree(dependencies->value, project, label);
}

PackageLock::PackageLock(std::filesystem::path lock_file, std::string project,
                         std::size_t max_bytes)
    : lock_file_(std::move(lock_file)), project_(std::move(project)), max_bytes_(max_bytes) {}

Result<std::vector<Package>> PackageLock::scan() {
  PP_TRY(text, read_bounded_file(lock_file_, max_bytes_));
  return parse_package_lock(text, project_, lock_file_.string());
}

InventoryKind npm_inventory_kind() {
  InventoryKind k;
  k.name = "npm";
  k.lockfile_names = {"package-lock.json", "npm-shrinkwrap.json"};
  k.lockfile_ecosystem = "npm";
  k.open_lockfile = [](const std::filesystem::path& file, const std::string& project,
                       std::size_t max_bytes) -> std::unique_ptr<InventorySource> {
    return std::make_unique<PackageLock>(file, project, max_bytes);
  };
  return k;
}

}  // namespace patchparty::inventory
