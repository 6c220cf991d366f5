#include "config/config.h"

#include <yaml-cpp/yaml.h>

#include "config/yaml_reader.h"
#include "daemon/bounded_file.h"

namespace patchparty::config {

namespace {

constexpr std::size_t kMaxConfigBytes = 4 << 20;

void read_toggle(YamlReader& r, const YAML::Node& map, std::string_view path, Toggle& out) {
  std::string v(toggle_name(out));
  r.read_enum(map, path, "enabled", v, {"auto", "true", "false"});
  out = v == "true" ? Toggle::on : v == "false" ? Toggle::off : Toggle::automatic;
}

void read_database(YamlReader& r, const YAML::Node& map, std::string_view path,
                   std::string_view path_key, DatabaseSource& out) {
  if (!map.IsDefined() || map.IsNull()) return;
  if (!r.expect_map(map, path, {"enabled", path_key})) return;
  read_toggle(r, map, path, out.enabled);
  r.read_path(map, path, path_key, out.path);
}

void read_inventory(YamlReader& r, const YAML::Node& node, InventoryConfig& inv) {
  const std::string p = "inventory";
  if (!node.IsDefined() || node.IsNull()) return;
  if (!r.expect_map(node, p,
                    {"interval", "root", "os_release", "dpkg", "rpm", "apk", "max_file_bytes",
                     "snapshots_kept"}))
    return;
  r.read(node, p, "interval", inv.interval, std::chrono::seconds(10));
  r.read_path(node, p, "root", inv.root);
  r.read_path(node, p, "os_release", inv.os_release);
  const YAML::Node dpkg = node["dpkg"];
  if (dpkg.IsDefined() && !dpkg.IsNull() &&
      r.expect_map(dpkg, "inventory.dpkg", {"enabled", "status", "status_dir"})) {
    read_toggle(r, dpkg, "inventory.dpkg", inv.dpkg.enabled);
    r.read_path(dpkg, "inventory.dpkg", "status", inv.dpkg.path);
    r.read_path(dpkg, "inventory.dpkg", "status_dir", inv.dpkg_status_dir);
  }
  read_database(r, node["rpm"], "inventory.rpm", "database", inv.rpm);
  read_database(r, node["apk"], "inventory.apk", "installed", inv.apk);
  r.read(node, p, "max_file_bytes", inv.max_file_bytes, 1 << 10, std::int64_t{1} << 34);
  r.read(node, p, "snapshots_kept", inv.snapshots_kept, 1, 100000);
}

bool valid_project_name(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

void read_projects(YamlReader& r, const YAML::Node& node, std::vector<ProjectConfig>& out) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!r.expect_list(node, "projects")) return;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string p = "projects[" + std::to_string(i) + "]";
    const YAML::Node item = node[i];
    if (!r.expect_map(item, p, {"name", "path", "lockfiles"})) continue;
    ProjectConfig project;
    r.read(item, p, "name", project.name);
    r.read_path(item, p, "path", project.path);
    r.read_strings(item, p, "lockfiles", project.lockfiles);
    // The name becomes a metric label and part of file names: keep it to a safe alphabet.
    if (!valid_project_name(project.name))
      r.error(item["name"].IsDefined() ? item["name"] : item, YamlReader::join(p, "name"),
              "required; letters, digits, '-', '_' and '.' only, at most 128");
    if (project.path.empty()) r.error(item, YamlReader::join(p, "path"), "required");
    for (const auto& f : project.lockfiles) {
      if (f.empty() || f.find('/') != std::string::npos || f == "." || f == "..")
        r.error(item["lockfiles"], YamlReader::join(p, "lockfiles"),
                "'" + f + "' must be a file name inside the project directory");
    }
    for (const auto& other : out) {
      if (other.name == project.name)
        r.error(item["name"], YamlReader::join(p, "name"),
                "duplicate project name '" + project.name + "'");
    }
    out.push_back(std::move(project));
  }
}

bool valid_listen(std::string_view listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  auto port = listen.substr(colon + 1);
  if (port.empty() || port.size() > 5) return false;
  int n = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  return n > 0 && n < 65536;
}

}  // namespace

std::string_view toggle_name(Toggle t) {
  switch (t) {
    case Toggle::on:
      return "true";
    case Toggle::off:
      return "false";
    case Toggle::automatic:
      return "auto";
  }
  return "auto";
}

Config default_config() {
  return Config{};
}

Result<Config> parse_config(std::string_view yaml, std::string_view file) {
  YamlReader r{std::string(file)};
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::ParserException& e) {
    r.error_at(e.mark.line, e.mark.column, "YAML syntax: " + e.msg);
    return fail(Errc::invalid_argument, r.errors().front());
  } catch (const YAML::Exception& e) {
    return fail(Errc::invalid_argument, std::string(file) + ": " + e.what());
  }
  Config c = default_config();
  c.source_file = std::string(file);
  if (root.IsNull() || !root.IsDefined()) return c;  // an empty file means all defaults
  try {
    if (r.expect_map(root, "",
                     {"state_dir", "log_level", "listen", "host_name", "jitter", "shutdown_timeout",
                      "inventory", "projects"})) {
      r.read_path(root, "", "state_dir", c.state_dir);
      r.read_enum(root, "", "log_level", c.log_level,
                  {"debug", "info", "notice", "warning", "error"});
      r.read(root, "", "listen", c.listen);
      if (!valid_listen(c.listen))
        r.error(root["listen"], "listen", "'" + c.listen + "' is not HOST:PORT");
      r.read(root, "", "host_name", c.host_name);
      r.read(root, "", "jitter", c.jitter, 0.0, 0.5);
      r.read(root, "", "shutdown_timeout", c.shutdown_timeout, std::chrono::milliseconds(100));
      read_inventory(r, root["inventory"], c.inventory);
      read_projects(r, root["projects"], c.projects);
    }
  } catch (const YAML::Exception& e) {
    r.error_at(e.mark.line, e.mark.column, e.msg);
  }
  if (!r.errors().empty()) {
    std::string all;
    for (const auto& e : r.errors()) all += (all.empty() ? "" : "\n") + e;
    return fail(Errc::invalid_argument, all);
  }
  return c;
}

Result<Config> load_config_file(const std::filesystem::path& file) {
  PP_TRY(text, read_bounded_file(file, kMaxConfigBytes));
  return parse_config(text, file.string());
}

}  // namespace patchparty::config
