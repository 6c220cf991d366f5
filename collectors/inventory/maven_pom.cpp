#include "collectors/inventory/maven_pom.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <pugixml.hpp>
#include <utility>

namespace patchparty::inventory {

namespace {

constexpr int kMaxRounds = 16;
constexpr std::size_t kMaxValueBytes = 4096;

using Properties = std::map<std::string, std::string, std::less<>>;

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

std::string_view local_name(std::string_view name) {
  const auto colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// The child element named `name`, ignoring a namespace prefix.
pugi::xml_node child(pugi::xml_node node, std::string_view name) {
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && local_name(c.name()) == name) return c;
  return {};
}

std::string text_of(pugi::xml_node node) {
  std::string_view s = node.text().get();
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::size_t line_of(std::string_view text, std::ptrdiff_t offset) {
  const auto end = static_cast<std::size_t>(std::max<std::ptrdiff_t>(offset, 0));
  return 1 + static_cast<std::size_t>(
                 std::count(text.begin(), text.begin() + std::min(end, text.size()), '\n'));
}

// `value` with every ${name} replaced, or why it cannot be.
std::pair<std::optional<std::string>, std::string> resolve(std::string value,
                                                           const Properties& properties) {
  for (int round = 0; round < kMaxRounds; ++round) {
    if (value.find("${") == std::string::npos) return {std::move(value), ""};
    std::string next;
    std::size_t pos = 0;
    for (auto open = value.find("${"); open != std::string::npos; open = value.find("${", pos)) {
      const auto close = value.find('}', open);
      if (close == std::string::npos) return {std::nullopt, "unterminated ${ in " + value};
      const std::string_view key = std::string_view(value).substr(open + 2, close - open - 2);
      const auto it = properties.find(key);
      if (it == properties.end())
        return {std::nullopt, "${" + std::string(key) + "} is not defined in this file"};
      next.append(value, pos, open - pos);
      next += it->second;
      pos = close + 1;
      if (next.size() > kMaxValueBytes) break;
    }
    next.append(value, std::min(pos, value.size()));
    if (next.size() > kMaxValueBytes) return {std::nullopt, "properties expand beyond 4 KiB"};
    value = std::move(next);
  }
  return {std::nullopt, "properties refer to each other in a cycle"};
}

Properties properties_of(pugi::xml_node root) {
  Properties props;
  if (pugi::xml_node section = child(root, "properties"))
    for (pugi::xml_node p = section.first_child(); p; p = p.next_sibling())
      if (p.type() == pugi::node_element) props[std::string(local_name(p.name()))] = text_of(p);
  const pugi::xml_node parent = child(root, "parent");
  auto own_or_parent = [&](const char* key) {
    const std::string own = text_of(child(root, key));
    return own.empty() ? text_of(child(parent, key)) : own;
  };
  // The model's own values win over <properties> entries of the same name, as in Maven.
  const std::pair<const char*, std::string> builtins[] = {
      {"project.version", own_or_parent("version")},
      {"project.groupId", own_or_parent("groupId")},
      {"project.artifactId", text_of(child(root, "artifactId"))},
      {"project.parent.version", text_of(child(parent, "version"))},
      {"project.parent.groupId", text_of(child(parent, "groupId"))}};
  for (const auto& [key, value] : builtins)
    if (!value.empty()) props[key] = value;
  return props;
}

struct Coordinates {
  std::string group, artifact;
};

}  // namespace

Result<MavenPomContents> parse_maven_pom_details(std::string_view xml, std::string_view project,
                                                 std::string_view label_view) {
  const std::string label(label_view);
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size());
  if (!parsed)
    return fail(Errc::data_loss, label + ": invalid XML at line " +
                                     std::to_string(line_of(xml, parsed.offset)) + ": " +
                                     parsed.description());
  const pugi::xml_node root = doc.document_element();
  if (local_name(root.name()) != "project")
    return fail(Errc::invalid_argument,
                label + ": root element is <" + std::string(root.name()) + ">, not <project>");
  const Properties properties = properties_of(root);
  MavenPomContents out;

  auto coordinates = [&](pugi::xml_node dep, const std::string& where,
                         std::string& why) -> Result<std::optional<Coordinates>> {
    const std::string group = text_of(child(dep, "groupId"));
    const std::string artifact = text_of(child(dep, "artifactId"));
    if (group.empty() || artifact.empty())
      return fail(Errc::invalid_argument, where + ": no groupId or artifactId");
    auto [g, g_why] = resolve(group, properties);
    auto [a, a_why] = resolve(artifact, properties);
    if (!g || !a) {
      why = group + ":" + artifact + ": " + (g ? a_why : g_why);
      return std::optional<Coordinates>{};
    }
    if (!is_token(*g) || !is_token(*a))
      return fail(Errc::invalid_argument,
                  where + ": groupId or artifactId is not printable ASCII without spaces");
    return std::optional<Coordinates>{Coordinates{std::move(*g), std::move(*a)}};
  };

  std::map<std::string, std::string> managed;  // "group:artifact" -> raw <version>
  std::size_t index = 0;
  for (pugi::xml_node dep =
           child(child(child(root, "dependencyManagement"), "dependencies"), "dependency");
       dep; dep = dep.next_sibling()) {
    if (dep.type() != pugi::node_element || local_name(dep.name()) != "dependency") continue;
    const std::string where =
        label + ": dependencyManagement dependency " + std::to_string(index++);
    std::string why;
    PP_TRY(c, coordinates(dep, where, why));
    if (c) managed[c->group + ":" + c->artifact] = text_of(child(dep, "version"));
  }

  index = 0;
  for (pugi::xml_node dep = child(child(root, "dependencies"), "dependency"); dep;
       dep = dep.next_sibling()) {
    if (dep.type() != pugi::node_element || local_name(dep.name()) != "dependency") continue;
    const std::string where = label + ": dependency " + std::to_string(index++);
    std::string why;
    PP_TRY(c, coordinates(dep, where, why));
    if (!c) {
      out.unresolved.push_back(std::move(why));
      continue;
    }
    const std::string name = c->group + ":" + c->artifact;
    std::string version = text_of(child(dep, "version"));
    if (version.empty()) {
      const auto it = managed.find(name);
      if (it == managed.end() || it->second.empty()) {
        out.unresolved.push_back(name +
                                 ": no version in this file (a parent POM or a BOM sets it)");
        continue;
      }
      version = it->second;
    }
    auto [resolved, resolve_why] = resolve(version, properties);
    if (!resolved) {
      out.unresolved.push_back(name + ": " + resolve_why);
      continue;
    }
    if (resolved->starts_with('[') || resolved->starts_with('(')) {
      out.unresolved.push_back(name + ": version range " + *resolved + " is not pinned");
      continue;
    }
    if (!is_token(*resolved))
      return fail(Errc::invalid_argument,
                  where + " (" + name + "): version is not printable ASCII without spaces");
    Package p;
    p.ecosystem = "Maven";
    p.name = name;
    p.version = std::move(*resolved);
    p.source_name = p.name;
    p.source_version = p.version;
    p.origin = "maven";
    p.project = std::string(project);
    p.location = label;
    p.dev = text_of(child(dep, "scope")) == "test";
    p.optional = text_of(child(dep, "optional")) == "true";
    out.packages.push_back(std::move(p));
  }
  return out;
}

Result<std::vector<Package>> parse_maven_pom(std::string_view xml, std::string_view project,
                                             std::string_view label) {
  PP_TRY(details, parse_maven_pom_details(xml, project, label));
  return std::move(details.packages);
}

MavenPom::MavenPom(std::filesystem::path pom_file, std::string project, std::size_t max_bytes)
    : pom_file_(std::move(pom_file)), project_(std::move(project)), max_bytes_(max_bytes) {}

Result<std::vector<Package>> MavenPom::scan() {
  PP_TRY(text, read_bounded_file(pom_file_, max_bytes_));
  PP_TRY(details, parse_maven_pom_details(text, project_, pom_file_.string()));
  unresolved_ = std::move(details.unresolved);
  return std::move(details.packages);
}

InventoryKind maven_inventory_kind() {
  InventoryKind k;
  k.name = "maven";
  k.lockfile_names = {"pom.xml"};
  k.lockfile_ecosystem = "Maven";
  k.open_lockfile = [](const std::filesystem::path& file, const std::string& project,
                       std::size_t max_bytes) -> std::unique_ptr<InventorySource> {
    return std::make_unique<MavenPom>(file, project, max_bytes);
  };
  return k;
}

}  // namespace patchparty::inventory
