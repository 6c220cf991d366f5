#include "collectors/inventory/gemfile_lock.h"

#include <algorithm>
#include <set>
#include <utility>

namespace patchparty::inventory {

namespace {

enum class Section { none, gem, other_source };

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

bool is_heading(std::string_view line) {
  return std::all_of(line.begin(), line.end(),
                     [](char c) { return (c >= 'A' && c <= 'Z') || c == ' '; });
}

std::size_t indent(std::string_view line) {
  std::size_t n = 0;
  while (n < line.size() && line[n] == ' ') ++n;
  return n;
}

struct Spec {
  std::string name, version;
};

// "    name (version[-platform])".
Result<Spec> parse_spec(std::string_view line, const std::string& where) {
  line.remove_prefix(4);
  const auto open = line.find(" (");
  if (open == std::string_view::npos || !line.ends_with(")"))
    return fail(Errc::data_loss, where + ": spec is not \"name (version)\"");
  Spec spec;
  spec.name = std::string(line.substr(0, open));
  std::string_view version = line.substr(open + 2, line.size() - open - 3);
  version = version.substr(0, version.find('-'));
  spec.version = std::string(version);
  if (!is_token(spec.name) || !is_token(spec.version))
    return fail(Errc::data_loss,
                where + ": gem name or version is not printable ASCII without spaces");
  return spec;
}

}  // namespace

Result<std::vector<Package>> parse_gemfile_lock(std::string_view text, std::string_view project,
                                                std::string_view label_view) {
  const std::string label(label_view);
  std::vector<Package> out;
  std::set<std::pair<std::string, std::string>> seen;
  Section section = Section::none;
  bool in_specs = false;
  std::size_t number = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++number;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty()) continue;
    const std::string where = label + ": line " + std::to_string(number);
    const std::size_t depth = indent(line);
    if (depth == 0) {
      if (!is_heading(line))
        return fail(Errc::data_loss, where + ": not a section heading (GEM, GIT, PATH, ...)");
      section = line == "GEM"                                                ? Section::gem
                : line == "GIT" || line == "PATH" || line == "PLUGIN SOURCE" ? Section::other_source
                                                                             : Section::none;
      in_specs = false;
      continue;
    }
    if (section == Section::none) continue;
    if (depth == 2) {
      in_specs = line == "  specs:";
      continue;
    }
    if (depth != 4 || !in_specs || section != Section::gem) continue;
    PP_TRY(spec, parse_spec(line, where));
    if (!seen.emplace(spec.name, spec.version).second) continue;
    Package p;
    p.ecosystem = "RubyGems";
    p.name = std::move(spec.name);
    p.version = std::move(spec.version);
    p.source_name = p.name;
    p.source_version = p.version;
    p.origin = "bundler";
    p.project = std::string(project);
    p.location = label;
    out.push_back(std::move(p));
  }
  return out;
}

GemfileLock::GemfileLock(std::filesystem::path lock_file, std::string project,
                         std::size_t max_bytes)
    : lock_file_(std::move(lock_file)), project_(std::move(project)), max_bytes_(max_bytes) {}

Result<std::vector<Package>> GemfileLock::scan() {
  PP_TRY(text, read_bounded_file(lock_file_, max_bytes_));
  return parse_gemfile_lock(text, project_, lock_file_.string());
}

InventoryKind bundler_inventory_kind() {
  InventoryKind k;
  k.name = "bundler";
  k.lockfile_names = {"Gemfile.lock"};
  k.lockfile_ecosystem = "RubyGems";
  k.open_lockfile = [](const std::filesystem::path& file, const std::string& project,
                       std::size_t max_bytes) -> std::unique_ptr<InventorySource> {
    return std::make_unique<GemfileLock>(file, project, max_bytes);
  };
  return k;
}

}  // namespace patchparty::inventory
