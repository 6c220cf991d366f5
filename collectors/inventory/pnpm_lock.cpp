#include "collectors/inventory/pnpm_lock.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "core/base/yaml_nesting.h"

namespace patchparty::inventory {

namespace {

constexpr int kMaxYamlNesting = 64;

enum class Era { v5, v6, v9 };

struct NameVersion {
  std::string name;
  std::string version;
};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

// MAJOR.MINOR.PATCH[-pre][+build], the only versions the npm registry serves.
bool is_semver(std::string_view v) {
  std::size_t i = 0;
  for (int part = 0; part < 3; ++part) {
    if (part > 0) {
      if (i >= v.size() || v[i] != '.') return false;
      ++i;
    }
    const std::size_t start = i;
    while (i < v.size() && is_digit(v[i])) ++i;
    if (i == start) return false;
  }
  auto ident = [](char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == '-';
  };
  for (char tag : {'-', '+'}) {
    if (i < v.size() && v[i] == tag) {
      const std::size_t start = ++i;
      while (i < v.size() && ident(v[i])) ++i;
      if (i == start) return false;
    }
  }
  return i == v.size();
}

// "name" or "@scope/name", no protocol.
bool is_package_name(std::string_view n) {
  if (!is_token(n) || n.find(':') != std::string_view::npos) return false;
  if (n.front() == '@') {
    const auto slash = n.find('/');
    return slash != std::string_view::npos && slash > 1 && slash + 1 < n.size() &&
           n.find('/', slash + 1) == std::string_view::npos;
  }
  return n.find('/') == std::string_view::npos;
}

std::optional<NameVersion> checked(std::string_view name, std::string_view version) {
  if (!is_package_name(name) || !is_semver(version)) return std::nullopt;
  return NameVersion{std::string(name), std::string(version)};
}

// "name@version(peer@1)(other@2)" (6.x without its host, 9.x).
std::optional<NameVersion> name_at_version(std::string_view s) {
  s = s.substr(0, s.find('('));
  const auto at = s.find('@', 1);
  if (at == std::string_view::npos) return std::nullopt;
  return checked(s.substr(0, at), s.substr(at + 1));
}

// "name/version_peers" or "@scope/name/version_peers" (5.x without its host).
std::optional<NameVersion> name_slash_version(std::string_view s) {
  std::size_t slash = s.find('/');
  if (!s.empty() && s.front() == '@' && slash != std::string_view::npos)
    slash = s.find('/', slash + 1);
  if (slash == std::string_view::npos) return std::nullopt;
  std::string_view version = s.substr(slash + 1);
  return checked(s.substr(0, slash), version.substr(0, version.find('_')));
}

std::optional<NameVersion> parse_key(std::string_view key, Era era) {
  if (era == Era::v9) return name_at_version(key);
  const auto host_end = key.find('/');
  if (host_end == std::string_view::npos) return name_at_version(key);
  const std::string_view path = key.substr(host_end + 1);
  return era == Era::v5 ? name_slash_version(path) : name_at_version(path);
}

// yaml-cpp's lookup of a missing key gives an invalid node whose type queries throw.
bool is_true(const YAML::Node& node) {
  return node && node.IsScalar() && node.Scalar() == "true";
}

// git checkouts and local folders: never a registry package, whatever the key says.
bool non_registry_resolution(const YAML::Node& entry) {
  const YAML::Node resolution = entry["resolution"];
  if (!resolution || !resolution.IsMap()) return false;
  if (resolution["repo"] || resolution["directory"]) return true;
  const YAML::Node type = resolution["type"];
  return type && type.IsScalar() && (type.Scalar() == "git" || type.Scalar() == "directory");
}

// The documents of a multi-document file, split at "---" lines, which end any node at column 0.
// Each is loaded on its own: yaml-cpp 0.7's LoadAll can loop forever, allocating, on some
// malformed input (a stray closing bracket after a flow mapping), where Load stops.
std::vector<std::string_view> split_documents(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::string_view rest = text.substr(pos);
    if (pos > start && rest.starts_with("---") &&
        (rest.size() == 3 || rest[3] == ' ' || rest[3] == '\n' || rest[3] == '\r' ||
         rest[3] == '\t')) {
      out.push_back(text.substr(start, pos - start));
      start = pos;
    }
    const auto end = text.find('\n', pos);
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  out.push_back(text.substr(start));
  return out;
}

Result<Era> era_of(const YAML::Node& version, const std::string& label) {
  if (!version)
    return fail(Errc::invalid_argument, label + ": no \"lockfileVersion\", not a pnpm-lock.yaml");
  const std::string text = version.IsScalar() ? version.Scalar() : "";
  std::size_t digits = 0;
  while (digits < text.size() && digits < 4 && is_digit(text[digits])) ++digits;
  if (digits == 0 || (digits < text.size() && text[digits] != '.' && text[digits] != '-'))
    return fail(Errc::invalid_argument, label + ": \"lockfileVersion\" is not a version number");
  const int major = std::stoi(text.substr(0, digits));
  if (major == 5) return Era::v5;
  if (major == 6) return Era::v6;
  if (major == 9) return Era::v9;
  return fail(Errc::failed_precondition,
              label + ": lockfileVersion " + text + " is not supported (5.x, 6.x and 9.x are)");
}

class Collector {
 public:
  Collector(std::string_view project, std::string_view label) : project_(project), label_(label) {}

  void add(NameVersion nv, bool dev, bool optional) {
    auto [it, added] = index_.try_emplace({nv.name, nv.version}, out_.size());
    if (!added) {
      Package& p = out_[it->second];
      p.dev = p.dev && dev;
      p.optional = p.optional && optional;
      return;
    }
    Package p;
    p.ecosystem = "npm";
    p.name = std::move(nv.name);
    p.version = std::move(nv.version);
    p.source_name = p.name;
    p.source_version = p.version;
    p.origin = "pnpm";
    p.project = project_;
    p.location = label_;
    p.dev = dev;
    p.optional = optional;
    out_.push_back(std::move(p));
  }

  std::vector<Package> take() { return std::move(out_); }

 private:
  std::string project_;
  std::string label_;
  std::map<std::pair<std::string, std::string>, std::size_t> index_;
  std::vector<Package> out_;
};

// 9.x: whether every snapshot of "name@version" is optional, keyed without peer suffixes.
Result<std::map<std::string, bool>> optional_snapshots(const YAML::Node& snapshots,
                                                       const std::string& label) {
  std::map<std::string, bool> out;
  if (!snapshots || snapshots.IsNull()) return out;
  if (!snapshots.IsMap())
    return fail(Errc::invalid_argument, label + ": \"snapshots\" is not a map");
  for (const auto& item : snapshots) {
    if (!item.first.IsScalar())
      return fail(Errc::invalid_argument, label + ": a snapshot key is not a string");
    const std::string& key = item.first.Scalar();
    const bool optional = item.second.IsMap() && is_true(item.second["optional"]);
    auto [it, added] = out.try_emplace(key.substr(0, key.find('(')), optional);
    if (!added) it->second = it->second && optional;
  }
  return out;
}

Result<> read_document(const YAML::Node& doc, Collector& out, const std::string& label) {
  if (doc.IsNull()) return {};
  if (!doc.IsMap()) return fail(Errc::invalid_argument, label + ": top level is not a map");
  PP_TRY(era, era_of(doc["lockfileVersion"], label));
  const YAML::Node packages = doc["packages"];
  if (!packages || packages.IsNull()) return {};
  if (!packages.IsMap()) return fail(Errc::invalid_argument, label + ": \"packages\" is not a map");
  std::map<std::string, bool> optional_v9;
  if (era == Era::v9) {
    PP_TRY(snapshots, optional_snapshots(doc["snapshots"], label));
    optional_v9 = std::move(snapshots);
  }
  for (const auto& item : packages) {
    if (!item.first.IsScalar())
      return fail(Errc::invalid_argument, label + ": a \"packages\" key is not a string");
    const std::string& key = item.first.Scalar();
    const YAML::Node& entry = item.second;
    if (!entry.IsNull() && !entry.IsMap())
      return fail(Errc::invalid_argument, label + ": packages[\"" + key + "\"]: not a map");
    if (entry.IsMap() && non_registry_resolution(entry)) continue;
    auto nv = parse_key(key, era);
    if (!nv) continue;
    bool dev = false, optional = false;
    if (era == Era::v9) {
      auto it = optional_v9.find(key.substr(0, key.find('(')));
      optional = it != optional_v9.end() && it->second;
    } else if (entry.IsMap()) {
      dev = is_true(entry["dev"]);
      optional = is_true(entry["optional"]);
    }
    out.add(std::move(*nv), dev, optional);
  }
  return {};
}

}  // namespace

Result<std::vector<Package>> parse_pnpm_lock(std::string_view yaml, std::string_view project,
                                             std::string_view label_view) {
  const std::string label(label_view);
  if (!yaml_nesting_within(yaml, kMaxYamlNesting))
    return fail(Errc::invalid_argument,
                label + ": nested deeper than " + std::to_string(kMaxYamlNesting) + " levels");
  std::vector<YAML::Node> docs;
  // yaml-cpp reports everything by exception; none may leave this function.
  try {
    for (std::string_view document : split_documents(yaml))
      docs.push_back(YAML::Load(std::string(document)));
  } catch (const YAML::Exception& e) {
    return fail(Errc::data_loss, label + ": invalid YAML: " + e.what());
  } catch (const std::bad_alloc&) {
    return fail(Errc::resource_exhausted, label + ": out of memory");
  }
  Collector out(project, label);
  try {
    for (const YAML::Node& doc : docs) PP_CHECK(read_document(doc, out, label));
  } catch (const YAML::Exception& e) {
    return fail(Errc::invalid_argument, label + ": unexpected shape: " + e.what());
  }
  return out.take();
}

PnpmLock::PnpmLock(std::filesystem::path lock_file, std::string project, std::size_t max_bytes)
    : lock_file_(std::move(lock_file)), project_(std::move(project)), max_bytes_(max_bytes) {}

Result<std::vector<Package>> PnpmLock::scan() {
  PP_TRY(text, read_bounded_file(lock_file_, max_bytes_));
  return parse_pnpm_lock(text, project_, lock_file_.string());
}

InventoryKind pnpm_inventory_kind() {
  InventoryKind k;
  k.name = "pnpm";
  k.lockfile_names = {"pnpm-lock.yaml"};
  k.lockfile_ecosystem = "npm";
  k.open_lockfile = [](const std::filesystem::path& file, const std::string& project,
                       std::size_t max_bytes) -> std::unique_ptr<InventorySource> {
    return std::make_unique<PnpmLock>(file, project, max_bytes);
  };
  return k;
}

}  // namespace patchparty::inventory
