#include "collectors/inventory/pipfile_lock.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <set>
#include <utility>

namespace patchparty::inventory {

namespace {

// Iterative parsing keeps deeply nested input from exhausting the stack; encoding validation
// keeps invalid UTF-8 out of names that end up in labels and reports.
constexpr unsigned kParseFlags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;

constexpr int kNewestPipfileSpec = 6;

using Value = rapidjson::Value;

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

Result<> add_section(const Value& root, const char* key, bool dev, std::string_view project,
                     const std::string& label, std::set<std::pair<std::string, std::string>>& seen,
                     std::vector<Package>& out) {
  auto it = root.FindMember(key);
  if (it == root.MemberEnd() || it->value.IsNull()) return {};
  if (!it->value.IsObject())
    return fail(Errc::invalid_argument, label + ": \"" + key + "\" is not an object");
  for (const auto& member : it->value.GetObject()) {
    const std::string name(member.name.GetString(), member.name.GetStringLength());
    const std::string where = label + ": " + key + "[\"" + name + "\"]";
    if (!is_token(name))
      return fail(Errc::invalid_argument,
                  where + ": package name is not printable ASCII without spaces");
    if (!member.value.IsObject()) return fail(Errc::invalid_argument, where + ": not an object");
    auto version = member.value.FindMember("version");
    if (version == member.value.MemberEnd()) continue;
    if (!version->value.IsString())
      return fail(Errc::invalid_argument, where + ": \"version\" is not a string");
    std::string_view pinned(version->value.GetString(), version->value.GetStringLength());
    if (pinned.starts_with("==="))
      pinned.remove_prefix(3);
    else if (pinned.starts_with("=="))
      pinned.remove_prefix(2);
    else
      return fail(Errc::invalid_argument, where + ": \"version\" is not \"==<version>\"");
    if (!is_token(pinned))
      return fail(Errc::invalid_argument,
                  where + ": \"version\" is not printable ASCII without spaces");
    if (!seen.emplace(name, std::string(pinned)).second) continue;
    Package p;
    p.ecosystem = "PyPI";
    p.name = name;
    p.version = std::string(pinned);
    p.source_name = p.name;
    p.source_version = p.version;
    p.origin = "pipenv";
    p.project = std::string(project);
    p.location = label;
    p.dev = dev;
    out.push_back(std::move(p));
  }
  return {};
}

}  // namespace

Result<std::vector<Package>> parse_pipfile_lock(std::string_view json, std::string_view project,
                                                std::string_view label_view) {
  const std::string label(label_view);
  rapidjson::Document doc;
  doc.Parse<kParseFlags>(json.data(), json.size());
  if (doc.HasParseError())
    return fail(Errc::data_loss, label + ": invalid JSON at offset " +
                                     std::to_string(doc.GetErrorOffset()) + ": " +
                                     rapidjson::GetParseError_En(doc.GetParseError()));
  if (!doc.IsObject()) return fail(Errc::invalid_argument, label + ": top level is not an object");
  // Through a const Value: RapidJSON 1.1's MemberIterator comparison is ambiguous in C++20.
  const Value& root = doc;
  auto meta = root.FindMember("_meta");
  if (meta == root.MemberEnd() && !root.HasMember("default") && !root.HasMember("develop"))
    return fail(Errc::invalid_argument,
                label + ": no \"_meta\", \"default\" or \"develop\", not a Pipfile.lock");
  if (meta != root.MemberEnd()) {
    if (!meta->value.IsObject())
      return fail(Errc::invalid_argument, label + ": \"_meta\" is not an object");
    auto spec = meta->value.FindMember("pipfile-spec");
    if (spec != meta->value.MemberEnd()) {
      if (!spec->value.IsInt())
        return fail(Errc::invalid_argument, label + ": \"pipfile-spec\" is not an integer");
      if (spec->value.GetInt() > kNewestPipfileSpec)
        return fail(Errc::failed_precondition,
                    label + ": pipfile-spec " + std::to_string(spec->value.GetInt()) +
                        " is not supported (up to " + std::to_string(kNewestPipfileSpec) + " is)");
    }
  }
  std::vector<Package> packages;
  std::set<std::pair<std::string, std::string>> seen;
  PP_CHECK(add_section(root, "default", false, project, label, seen, packages));
  PP_CHECK(add_section(root, "develop", true, project, label, seen, packages));
  return packages;
}

PipfileLock::PipfileLock(std::filesystem::path lock_file, std::string project,
                         std::size_t max_bytes)
    : lock_file_(std::move(lock_file)), project_(std::move(project)), max_bytes_(max_bytes) {}

Result<std::vector<Package>> PipfileLock::scan() {
  PP_TRY(text, read_bounded_file(lock_file_, max_bytes_));
  return parse_pipfile_lock(text, project_, lock_file_.string());
}

InventoryKind pipenv_inventory_kind() {
  InventoryKind k;
  k.name = "pipenv";
  k.lockfile_names = {"Pipfile.lock"};
  k.lockfile_ecosystem = "PyPI";
  k.open_lockfile = [](const std::filesystem::path& file, const std::string& project,
                       std::size_t max_bytes) -> std::unique_ptr<InventorySource> {
    return std::make_unique<PipfileLock>(file, project, max_bytes);
  };
  return k;
}

}  // namespace patchparty::inventory
