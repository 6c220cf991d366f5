#include "collectors/inventory/gradle_lockfile.h"

#include <algorithm>
#include <optional>
#include <utility>

namespace patchparty::inventory {

namespace {

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool is_test_configuration(std::string_view c) {
  return c.starts_with("test") && (c.size() == 4 || (c[4] >= 'A' && c[4] <= 'Z'));
}

// Every configuration a test one; an empty list is not.
bool only_tests(std::string_view configurations) {
  if (configurations.empty()) return false;
  for (std::size_t pos = 0; pos <= configurations.size();) {
    const std::size_t comma = std::min(configurations.find(',', pos), configurations.size());
    if (!is_test_configuration(configurations.substr(pos, comma - pos))) return false;
    pos = comma + 1;
  }
  return true;
}

struct Coordinates {
  std::string_view group, artifact, version, configurations;
};

std::optional<Coordinates> split(std::string_view line) {
  const auto equals = line.find('=');
  if (equals == std::string_view::npos) return std::nullopt;
  const std::string_view gav = line.substr(0, equals);
  const auto first = gav.find(':');
  const auto second = first == std::string_view::npos ? first : gav.find(':', first + 1);
  if (second == std::string_view::npos || gav.find(':', second + 1) != std::string_view::npos)
    return std::nullopt;
  Coordinates c{gav.substr(0, first), gav.substr(first + 1, second - first - 1),
                gav.substr(second + 1), line.substr(equals + 1)};
  if (!is_token(c.group) || !is_token(c.artifact) || !is_token(c.version)) return std::nullopt;
  if (!c.configurations.empty() && !is_token(c.configurations)) return std::nullopt;
  return c;
}

}  // namespace

Result<GradleLockfileContents> parse_gradle_lockfile_details(std::string_view text,
                                                             std::string_view project,
                                                             std::string_view label) {
  GradleLockfileContents out;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    const std::string_view line = trim(text.substr(pos, end - pos));
    pos = end + 1;
    if (line.empty() || line.starts_with('#') || line.starts_with("empty=")) continue;
    const auto c = split(line);
    if (!c) {
      ++out.skipped_lines;
      continue;
    }
    Package p;
    p.ecosystem = "Maven";
    p.name = std::string(c->group) + ":" + std::string(c->artifact);
    p.version = std::string(c->version);
    p.source_name = p.name;
    p.source_version = p.version;
    p.origin = "gradle";
    p.project = std::string(project);
    p.location = std::string(label);
    p.dev = only_tests(c->configurations);
    out.packages.push_back(std::move(p));
  }
  return out;
}

Result<std::vector<Package>> parse_gradle_lockfile(std::string_view text, std::string_view project,
                                                   std::string_view label) {
  PP_TRY(details, parse_gradle_lockfile_details(text, project, label));
  return std::move(details.packages);
}

GradleLockfile::GradleLockfile(std::filesystem::path lock_file, std::string project,
                               std::size_t max_bytes)
    : lock_file_(std::move(lock_file)), project_(std::move(project)), max_bytes_(max_bytes) {}

Result<std::vector<Package>> GradleLockfile::scan() {
  PP_TRY(text, read_bounded_file(lock_file_, max_bytes_));
  PP_TRY(details, parse_gradle_lockfile_details(text, project_, lock_file_.string()));
  skipped_lines_ = details.skipped_lines;
  return std::move(details.packages);
}

InventoryKind gradle_inventory_kind() {
  InventoryKind k;
  k.name = "gradle";
  k.lockfile_names = {"gradle.lockfile"};
  k.lockfile_ecosystem = "Maven";
  k.open_lockfile = [](const std::filesystem::path& file, const std::string& project,
                       std::size_t max_bytes) -> std::unique_ptr<InventorySource> {
    return std::make_unique<GradleLockfile>(file, project, max_bytes);
  };
  return k;
}

}  // namespace patchparty::inventory
