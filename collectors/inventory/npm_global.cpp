#include "collectors/inventory/npm_global.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <optional>
#include <system_error>
#include <utility>

namespace patchparty::inventory {

namespace fs = std::filesystem;

namespace {

constexpr unsigned kParseFlags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

// The sorted entries of `dir` that may hold packages; an empty list when `dir` is missing.
Result<std::vector<fs::path>> package_dirs(const fs::path& dir) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory)
      return std::vector<fs::path>{};
    return tl::make_unexpected(errno_error(ec.value(), dir.string()));
  }
  std::vector<fs::path> out;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    const fs::directory_entry& entry = *it;
    const std::string name = entry.path().filename().string();
    if (name.empty() || name.front() == '.') continue;
    std::error_code type_ec;
    if (entry.is_symlink(type_ec) || !entry.is_directory(type_ec)) continue;
    out.push_back(entry.path());
  }
  if (ec) return tl::make_unexpected(errno_error(ec.value(), dir.string()));
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<Package> read_package(const fs::path& dir, std::size_t max_bytes) {
  auto text = read_bounded_file(dir / "package.json", max_bytes);
  if (!text) return std::nullopt;
  rapidjson::Document doc;
  doc.Parse<kParseFlags>(text->data(), text->size());
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  const rapidjson::Value& root = doc;
  auto name = root.FindMember("name");
  auto version = root.FindMember("version");
  if (name == root.MemberEnd() || version == root.MemberEnd() || !name->value.IsString() ||
      !version->value.IsString())
    return std::nullopt;
  Package p;
  p.name.assign(name->value.GetString(), name->value.GetStringLength());
  p.version.assign(version->value.GetString(), version->value.GetStringLength());
  if (!is_token(p.name) || !is_token(p.version)) return std::nullopt;
  p.ecosystem = "npm";
  p.source_name = p.name;
  p.source_version = p.version;
  p.origin = "npm-global";
  p.location = dir.string();
  return p;
}

}  // namespace

std::vector<fs::path> default_npm_global_dirs() {
  return {"/usr/local/lib/node_modules", "/usr/lib/node_modules"};
}

Result<NpmGlobalScan> scan_npm_global(const std::vector<fs::path>& dirs, std::size_t max_bytes) {
  NpmGlobalScan out;
  auto add = [&](const fs::path& dir) {
    if (auto p = read_package(dir, max_bytes))
      out.packages.push_back(std::move(*p));
    else
      ++out.skipped;
  };
  for (const fs::path& dir : dirs) {
    PP_TRY(entries, package_dirs(dir));
    for (const fs::path& entry : entries) {
      if (entry.filename().string().front() != '@') {
        add(entry);
        continue;
      }
      PP_TRY(scoped, package_dirs(entry));
      for (const fs::path& package : scoped) add(package);
    }
  }
  return out;
}

NpmGlobal::NpmGlobal(std::vector<fs::path> dirs, std::size_t max_bytes)
    : dirs_(std::move(dirs)), max_bytes_(max_bytes) {}

Result<std::vector<Package>> NpmGlobal::scan() {
  PP_TRY(result, scan_npm_global(dirs_, max_bytes_));
  skipped_ = result.skipped;
  return std::move(result.packages);
}

}  // namespace patchparty::inventory
