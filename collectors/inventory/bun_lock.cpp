#include "collectors/inventory/bun_lock.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <optional>
#include <utility>

namespace patchparty::inventory {

namespace {

// Iterative parsing keeps deeply nested input from exhausting the stack; encoding validation
// keeps invalid UTF-8 out of names. bun.lock is JSONC: comments and trailing commas.
constexpr unsigned kParseFlags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag |
    rapidjson::kParseCommentsFlag | rapidjson::kParseTrailingCommasFlag;

using Value = rapidjson::Value;

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

// "name" or "@scope/name": printable ASCII, no spaces or ':'.
bool is_package_name(std::string_view n) {
  if (!is_token(n) || n.find(':') != std::string_view::npos) return false;
  if (n.front() == '@') {
    const auto slash = n.find('/');
    return slash != std::string_view::npos && slash > 1 && slash + 1 < n.size() &&
           n.find('/', slash + 1) == std::string_view::npos;
  }
  return n.find('/') == std::string_view::npos;
}

std::pair<std::string_view, std::string_view> split_spec(std::string_view spec) {
  const auto at = spec.find('@', 1);
  if (at == std::string_view::npos) return {spec, {}};
  return {spec.substr(0, at), spec.substr(at + 1)};
}

// "chalk/@scope/x" -> "node_modules/chalk/node_modules/@scope/x"; nullopt when a segment is
// empty or a scope has no package after it.
std::optional<std::string> install_path(std::string_view key) {
  std::string out;
  while (!key.empty()) {
    std::size_t end = key.find('/');
    if (!key.empty() && key.front() == '@') {
      if (end == std::string_view::npos) return std::nullopt;
      end = key.find('/', end + 1);
    }
    const std::string_view name = key.substr(0, end);
    if (!is_package_name(name)) return std::nullopt;
    if (!out.empty()) out += '/';
    out += "node_modules/";
    out += name;
    if (end == std::string_view::npos) return out;
    key.remove_prefix(end + 1);
    if (key.empty()) return std::nullopt;
  }
  return std::nullopt;
}

Result<std::vector<Package>> from_packages(const Value& packages, std::string_view project,
                                           const std::string& label) {
  if (!packages.IsObject())
    return fail(Errc::invalid_argument, label + ": \"packages\" is not an object");
  std::vector<Package> out;
  for (const auto& member : packages.GetObject()) {
    const std::string key(member.name.GetString(), member.name.GetStringLength());
    const std::string where = label + ": packages[\"" + key + "\"]";
    const Value& entry = member.value;
    if (!entry.IsArray() || entry.Empty() || !entry[0].IsString())
      return fail(Errc::invalid_argument,
                  where + ": not an array starting with a \"name@version\" string");
    const std::string_view resolved(entry[0].GetString(), entry[0].GetStringLength());
    auto [name, version] = split_spec(resolved);
    if (version.starts_with("npm:")) std::tie(name, version) = split_spec(version.substr(4));
    // git, github, tarball URLs, file:, link:, workspace:, root:
    if (version.empty() || version.find_first_of(":/#") != std::string_view::npos) continue;
    if (!is_package_name(name) || !is_token(version))
      return fail(Errc::invalid_argument,
                  where + ": \"" + std::string(resolved) + "\" is not a printable name@version");
    auto location = install_path(key);
    if (!location) return fail(Errc::invalid_argument, where + ": key is not an install path");
    Package p;
    p.ecosystem = "npm";
    p.name = std::string(name);
    p.version = std::string(version);
    p.source_name = p.name;
    p.source_version = p.version;
    p.origin = "bun";
    p.project = std::string(project);
    p.location = std::move(*location);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

Result<std::vector<Package>> parse_bun_lock(std::string_view json, std::string_view project,
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
  // ambiguous under C++20's reversed operators; the const iterator's is not.
  const Value& root = doc;
  auto version = root.FindMember("lockfileVersion");
  if (version == root.MemberEnd())
    return fail(Errc::invalid_argument, label + ": no \"lockfileVersion\", not a bun.lock");
  if (!version->value.IsInt())
    return fail(Errc::invalid_argument, label + ": \"lockfileVersion\" is not an integer");
  const int lockfile_version = version->value.GetInt();
  if (lockfile_version != 0 && lockfile_version != 1)
    return fail(Errc::failed_precondition, label + ": lockfileVersion " +
                                               std::to_string(lockfile_version) +
                                               " is not supported (0 and 1 are)");
  auto packages = root.FindMember("packages");
  if (packages == root.MemberEnd()) return std::vector<Package>{};
  return from_packages(packages->value, project, label);
}

BunLock::BunLock(std::filesystem::path lock_file, std::string project, std::size_t max_bytes)
    : lock_file_(std::move(lock_file)), project_(std::move(project)), max_bytes_(max_bytes) {}

Result<std::vector<Package>> BunLock::scan() {
  PP_TRY(text, read_bounded_file(lock_file_, max_bytes_));
  return parse_bun_lock(text, project_, lock_file_.string());
}

InventoryKind bun_inventory_kind() {
  InventoryKind k;
  k.name = "bun";
  k.lockfile_names = {"bun.lock"};
  k.lockfile_ecosystem = "npm";
  k.open_lockfile = [](const std::filesystem::path& file, const std::string& project,
                       std::size_t max_bytes) -> std::unique_ptr<InventorySource> {
    return std::make_unique<BunLock>(file, project, max_bytes);
  };
  return k;
}

}  // namespace patchparty::inventory
