#include "collectors/inventory/composer_lock.h"

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

// Names and versions reach metric labels, reports and command lines: printable ASCII, no spaces,
// which every Packagist name and Composer version is.
bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

Result<> add_section(const rapidjson::Value& root, const char* key, bool dev,
                     std::string_view project, std::string_view location, std::string_view label,
                     std::vector<Package>& out) {
  auto it = root.FindMember(key);
  if (it == root.MemberEnd() || (dev && it->value.IsNull())) {
    if (dev) return {};
    return fail(Errc::invalid_argument,
                std::string(label) + ": no \"packages\" array, not a composer.lock");
  }
  if (!it->value.IsArray())
    return fail(Errc::invalid_argument, std::string(label) + ": \"" + key + "\" is not an array");
  rapidjson::SizeType i = 0;
  for (const auto& entry : it->value.GetArray()) {
    const std::string where = std::string(label) + ": " + key + "[" + std::to_string(i++) + "]";
    if (!entry.IsObject()) return fail(Errc::invalid_argument, where + ": not an object");
    auto name = entry.FindMember("name");
    if (name == entry.MemberEnd() || !name->value.IsString() || name->value.GetStringLength() == 0)
      return fail(Errc::invalid_argument, where + ": no \"name\" string");
    const std::string package_name(name->value.GetString(), name->value.GetStringLength());
    if (!is_token(package_name))
      return fail(Errc::invalid_argument,
                  where + ": \"name\" is not printable ASCII without spaces");
    auto version = entry.FindMember("version");
    if (version == entry.MemberEnd() || !version->value.IsString())
      return fail(Errc::invalid_argument, where + " (" + package_name + "): no \"version\" string");
    const std::string_view version_text(version->value.GetString(),
                                        version->value.GetStringLength());
    if (!is_token(version_text))
      return fail(
          Errc::invalid_argument,
          where + " (" + package_name + "): \"version\" is not printable ASCII without spaces");
    Package p;
    p.ecosystem = "Packagist";
    p.name = package_name;
    p.version = std::string(version_text);
    p.source_name = p.name;
    p.source_version = p.version;
    p.origin = "composer";
    p.project = std::string(project);
    p.location = std::string(location);
    p.dev = dev;
    out.push_back(std::move(p));
  }
  return {};
}

}  // namespace

Result<std::vector<Package>> parse_composer_lock(std::string_view json, std::string_view project,
                                                 std::string_view location) {
  const std::string_view label = location.empty() ? std::string_view("composer.lock") : location;
  rapidjson::Document doc;
  doc.Parse<kParseFlags>(json.data(), json.size());
  if (doc.HasParseError())
    return fail(Errc::data_loss, std::string(label) + ": invalid JSON at offset " +
                                     std::to_string(doc.GetErrorOffset()) + ": " +
                                     rapidjson::GetParseError_En(doc.GetParseError()));
  if (!doc.IsObject())
    return fail(Errc::invalid_argument, std::string(label) + ": top level is not an object");
  std::vector<Package> packages;
  PP_CHECK(add_section(doc, "packages", false, project, location, label, packages));
  PP_CHECK(add_section(doc, "packages-dev", true, project, location, label, packages));
  return packages;
}

ComposerLock::ComposerLock(std::filesystem::path lock_file, std::string project,
                           std::size_t max_bytes)
    : lock_file_(std::move(lock_file)), project_(std::move(project)), max_bytes_(max_bytes) {}

Result<std::vector<Package>> ComposerLock::scan() {
  PP_TRY(text, read_bounded_file(lock_file_, max_bytes_));
  return parse_composer_lock(text, project_, lock_file_.string());
}

InventoryKind composer_inventory_kind() {
  InventoryKind k;
  k.name = "composer";
  k.lockfile_names = {"composer.lock"};
  k.lockfile_ecosystem = "Packagist";
  k.open_lockfile = [](const std::filesystem::path& file, const std::string& project,
                       std::size_t max_bytes) -> std::unique_ptr<InventorySource> {
    return std::make_unique<ComposerLock>(file, project, max_bytes);
  };
  return k;
}

}  // namespace patchparty::inventory
