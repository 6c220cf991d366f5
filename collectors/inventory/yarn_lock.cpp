#include "collectors/inventory/yarn_lock.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "core/base/yaml_nesting.h"

namespace patchparty::inventory {

namespace {

constexpr int kMaxYamlNesting = 64;
constexpr int kFirstBerryMetadata = 4;  // yarn 2.0
constexpr int kLastBerryMetadata = 8;   // yarn 4.x

// Names and versions reach metric labels, reports and command lines: printable ASCII without
// spaces, as npm requires of package names.
bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

std::string line_label(std::string_view label, std::size_t line) {
  return std::string(label) + ": line " + std::to_string(line);
}

class Collector {
 public:
  Collector(std::string_view project, std::string_view label) : project_(project), label_(label) {}

  Result<> add(std::string name, std::string version, const std::string& where) {
    if (!is_token(name))
      return fail(Errc::invalid_argument,
                  where + ": package name is not printable ASCII without spaces");
    if (!is_token(version))
      return fail(Errc::invalid_argument,
                  where + " (" + name + "): version is missing or not printable ASCII");
    if (!seen_.emplace(name, version).second) return {};
    Package p;
    p.ecosystem = "npm";
    p.name = std::move(name);
    p.version = std::move(version);
    p.source_name = p.name;
    p.source_version = p.version;
    p.origin = "yarn";
    p.project = project_;
    p.location = label_;
    out_.push_back(std::move(p));
    return {};
  }

  std::vector<Package> take() { return std::move(out_); }

 private:
  std::string project_;
  std::string label_;
  std::set<std::pair<std::string, std::string>> seen_;
  std::vector<Package> out_;
};

// "name@range" into its parts; the '@' of a scope ("@babel/core@^7") is not the separator.
std::pair<std::string_view, std::string_view> split_spec(std::string_view spec) {
  const auto at = spec.find('@', 1);
  if (at == std::string_view::npos) return {spec, {}};
  return {spec.substr(0, at), spec.substr(at + 1)};
}

// --- yarn 1 ----------------------------------------------------------------------------------

// One token of a yarn 1 line at `pos`: a double-quoted string (backslash escapes the next
// character) or a bare word, which yarn writes only for text without spaces, ',' or ':'.
// nullopt for an unclosed quote.
std::optional<std::string> read_token(std::string_view line, std::size_t& pos) {
  std::string out;
  if (pos < line.size() && line[pos] == '"') {
    for (++pos; pos < line.size(); ++pos) {
      char c = line[pos];
      if (c == '"') {
        ++pos;
        return out;
      }
      if (c == '\\' && pos + 1 < line.size()) c = line[++pos];
      out.push_back(c);
    }
    return std::nullopt;
  }
  while (pos < line.size() && line[pos] != ' ' && line[pos] != ',' && line[pos] != ':')
    out.push_back(line[pos++]);
  return out;
}

void skip_spaces(std::string_view line, std::size_t& pos) {
  while (pos < line.size() && line[pos] == ' ') ++pos;
}

// `spec, "spec", ...:` of an entry header.
Result<std::vector<std::string>> read_header(std::string_view line, const std::string& where) {
  std::vector<std::string> specs;
  std::size_t pos = 0;
  while (true) {
    auto token = read_token(line, pos);
    if (!token) return fail(Errc::data_loss, where + ": unclosed quote");
    if (token->empty()) return fail(Errc::data_loss, where + ": empty package spec");
    specs.push_back(std::move(*token));
    skip_spaces(line, pos);
    if (pos < line.size() && line[pos] == ',') {
      ++pos;
      skip_spaces(line, pos);
      continue;
    }
    if (pos < line.size() && line[pos] == ':') {
      ++pos;
      skip_spaces(line, pos);
      if (pos == line.size()) return specs;
    }
    return fail(Errc::data_loss, where + ": not an entry header (\"spec, spec:\")");
  }
}

struct Field {
  std::string key;
  std::optional<std::string> value;  // nullopt: "key:" opens a nested block
};

Result<Field> read_field(std::string_view line, const std::string& where) {
  std::size_t pos = 0;
  auto key = read_token(line, pos);
  if (!key) return fail(Errc::data_loss, where + ": unclosed quote");
  if (key->empty()) return fail(Errc::data_loss, where + ": field without a name");
  if (pos < line.size() && line[pos] == ':') {
    ++pos;
    skip_spaces(line, pos);
    if (pos != line.size()) return fail(Errc::data_loss, where + ": text after \"" + *key + ":\"");
    return Field{std::move(*key), std::nullopt};
  }
  skip_spaces(line, pos);
  if (pos < line.size() && line[pos] == '"') {
    auto value = read_token(line, pos);
    if (!value) return fail(Errc::data_loss, where + ": unclosed quote");
    skip_spaces(line, pos);
    if (pos != line.size()) return fail(Errc::data_loss, where + ": text after a quoted value");
    return Field{std::move(*key), std::move(*value)};
  }
  std::string_view value = line.substr(pos);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  return Field{std::move(*key), std::string(value)};
}

// The package a yarn 1 spec names, through an "npm:" alias; false when the range is not a
// registry range (git, github "owner/repo", tarball URL, "file:", "link:").
bool registry_spec(std::string_view spec, std::string_view& name) {
  auto [spec_name, range] = split_spec(spec);
  name = spec_name;
  if (range.starts_with("npm:")) {
    range.remove_prefix(4);
    if (range.find('@', 1) != std::string_view::npos) std::tie(name, range) = split_spec(range);
  }
  return range.find_first_of(":/") == std::string_view::npos;
}

struct V1Entry {
  std::vector<std::string> specs;
  std::optional<std::string> version;
  std::string where;
};

Result<> add_v1_entry(const V1Entry& entry, Collector& out) {
  std::string_view name;
  for (const std::string& spec : entry.specs) {
    std::string_view spec_name;
    if (!registry_spec(spec, spec_name)) return {};
    if (name.empty()) name = spec_name;
  }
  if (!entry.version)
    return fail(Errc::invalid_argument, entry.where + " (" + std::string(name) + "): no version");
  return out.add(std::string(name), *entry.version, entry.where);
}

Result<std::vector<Package>> parse_v1(std::string_view text, Collector out,
                                      std::string_view label) {
  std::optional<V1Entry> entry;
  std::size_t number = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::size_t indent = 0;
    while (indent < line.size() && line[indent] == ' ') ++indent;
    if (indent == line.size() || line[indent] == '#') continue;
    const std::string where = line_label(label, number);
    if (line[indent] == '\t') return fail(Errc::data_loss, where + ": tab in indentation");
    if (indent == 0) {
      if (entry) PP_CHECK(add_v1_entry(*entry, out));
      PP_TRY(specs, read_header(line, where));
      entry = V1Entry{std::move(specs), std::nullopt, where};
      continue;
    }
    if (!entry) return fail(Errc::data_loss, where + ": indented line outside an entry");
    if (indent == 1) return fail(Errc::data_loss, where + ": indented by one space");
    PP_TRY(field, read_field(line.substr(indent), where));
    if (indent == 2 && field.key == "version") {
      if (!field.value) return fail(Errc::data_loss, where + ": \"version:\" without a value");
      entry->version = std::move(field.value);
    }
  }
  if (entry) PP_CHECK(add_v1_entry(*entry, out));
  return out.take();
}

// --- Berry -----------------------------------------------------------------------------------

bool has_berry_metadata(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    if (text.substr(pos).starts_with("__metadata:")) return true;
    const auto end = text.find('\n', pos);
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return false;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Berry percent-encodes the patched locator inside a "patch:" resolution.
std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

struct Locator {
  std::string_view name;
  std::string_view protocol;  // "npm", "patch", "workspace", "https", ...
  std::string_view body;      // after "protocol:"
};

std::optional<Locator> split_locator(std::string_view resolution) {
  auto [name, rest] = split_spec(resolution);
  if (name.empty() || rest.empty()) return std::nullopt;
  const auto colon = rest.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  return Locator{name, rest.substr(0, colon), rest.substr(colon + 1)};
}

// yaml-cpp's lookup of a missing key gives an invalid node whose type queries throw.
std::string scalar(const YAML::Node& node) {
  return node && node.IsScalar() ? node.Scalar() : "";
}

Result<> check_metadata(const YAML::Node& metadata, const std::string& label) {
  const YAML::Node version = metadata && metadata.IsMap() ? metadata["version"] : YAML::Node();
  const std::string text = scalar(version);
  if (text.empty() || text.size() > 6 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return fail(Errc::invalid_argument, label + ": __metadata has no integer \"version\"");
  const int v = std::stoi(text);
  if (v < kFirstBerryMetadata || v > kLastBerryMetadata)
    return fail(Errc::failed_precondition,
                label + ": __metadata version " + text + " is not supported (4 to 8 are)");
  return {};
}

Result<> add_berry_entry(const std::string& key, const YAML::Node& entry, Collector& out,
                         const std::string& label) {
  const std::string where = label + ": entry \"" + key + "\"";
  if (!entry.IsMap()) return fail(Errc::invalid_argument, where + ": not a map");
  const std::string resolution = scalar(entry["resolution"]);
  auto locator = split_locator(resolution);
  if (!locator) return fail(Errc::invalid_argument, where + ": no \"name@protocol:\" resolution");
  std::string patched;
  if (locator->protocol == "patch") {
    std::string_view inner = locator->body.substr(0, locator->body.find('#'));
    patched = percent_decode(inner);
    auto original = split_locator(patched);
    if (!original) return {};
    locator = original;
  }
  if (locator->protocol != "npm") return {};
  std::string version = scalar(entry["version"]);
  if (version.empty()) version = std::string(locator->body.substr(0, locator->body.find("::")));
  return out.add(std::string(locator->name), std::move(version), where);
}

Result<std::vector<Package>> parse_berry(std::string_view text, Collector out,
                                         const std::string& label) {
  if (!yaml_nesting_within(text, kMaxYamlNesting))
    return fail(Errc::invalid_argument,
                label + ": nested deeper than " + std::to_string(kMaxYamlNesting) + " levels");
  YAML::Node root;
  // yaml-cpp reports everything by exception; none may leave this function.
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return fail(Errc::data_loss, label + ": invalid YAML: " + e.what());
  } catch (const std::bad_alloc&) {
    return fail(Errc::resource_exhausted, label + ": out of memory");
  }
  try {
    if (!root.IsMap()) return fail(Errc::invalid_argument, label + ": top level is not a map");
    PP_CHECK(check_metadata(root["__metadata"], label));
    for (const auto& item : root) {
      if (!item.first.IsScalar())
        return fail(Errc::invalid_argument, label + ": an entry key is not a string");
      const std::string key = item.first.Scalar();
      if (key == "__metadata") continue;
      PP_CHECK(add_berry_entry(key, item.second, out, label));
    }
  } catch (const YAML::Exception& e) {
    return fail(Errc::invalid_argument, label + ": unexpected shape: " + e.what());
  }
  return out.take();
}

}  // namespace

Result<std::vector<Package>> parse_yarn_lock(std::string_view text, std::string_view project,
                                             std::string_view label) {
  Collector out(project, label);
  if (has_berry_metadata(text)) return parse_berry(text, std::move(out), std::string(label));
  return parse_v1(text, std::move(out), label);
}

YarnLock::YarnLock(std::filesystem::path lock_file, std::string project, std::size_t max_bytes)
    : lock_file_(std::move(lock_file)), project_(std::move(project)), max_bytes_(max_bytes) {}

Result<std::vector<Package>> YarnLock::scan() {
  PP_TRY(text, read_bounded_file(lock_file_, max_bytes_));
  return parse_yarn_lock(text, project_, lock_file_.string());
}

InventoryKind yarn_inventory_kind() {
  InventoryKind k;
  k.name = "yarn";
  k.lockfile_names = {"yarn.lock"};
  k.lockfile_ecosystem = "npm";
  k.open_lockfile = [](const std::filesystem::path& file, const std::string& project,
                       std::size_t max_bytes) -> std::unique_ptr<InventorySource> {
    return std::make_unique<YarnLock>(file, project, max_bytes);
  };
  return k;
}

}  // namespace patchparty::inventory
