#include "collectors/inventory/npm_global.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <deque>
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
  auto p = parse_npm_package_json(*text, dir.string());
  if (!p) return std::nullopt;
  return std::move(*p);
}

}  // namespace

Result<Package> parse_npm_package_json(std::string_view json, std::string_view location) {
  rapidjson::Document doc;
  doc.Parse<kParseFlags>(json.data(), json.size());
  if (doc.HasParseError())
    return fail(Errc::data_loss, std::string(location) + "/package.json: invalid JSON at offset " +
                                     std::to_string(doc.GetErrorOffset()));
  if (!doc.IsObject())
    return fail(Errc::invalid_argument,
                std::string(location) + "/package.json: top level is not an object");
  const rapidjson::Value& root = doc;
  auto name = root.FindMember("name");
  auto version = root.FindMember("version");
  if (name == root.MemberEnd() || version == root.MemberEnd() || !name->value.IsString() ||
      !version->value.IsString())
    return fail(Errc::invalid_argument,
                std::string(location) + "/package.json: no \"name\" and \"version\" strings");
  Package p;
  p.name.assign(name->value.GetString(), name->value.GetStringLength());
  p.version.assign(version->value.GetString(), version->value.GetStringLength());
  if (!is_token(p.name) || !is_token(p.version))
    return fail(Errc::invalid_argument, std::string(location) +
                                            "/package.json: name or version is not printable "
                                            "ASCII without spaces");
  p.ecosystem = "npm";
  p.source_name = p.name;
  p.source_version = p.version;
  p.origin = "npm-global";
  p.location = std::string(location);
  return p;
}

std::vector<fs::path> default_npm_global_dirs() {
  return {"/usr/local/lib/node_modules", "/usr/lib/node_modules"};
}

Result<NpmGlobalScan> scan_npm_global(const std::vector<fs::path>& dirs, std::size_t max_bytes) {
  NpmGlobalScan out;
  // node_modules folders still to list, with how deep they sit: a queue, so a deeply nested
  // tree costs memory in proportion to its size, never stack.
  std::deque<std::pair<fs::path, int>> pending;
  for (const fs::path& dir : dirs) pending.emplace_back(dir, 0);
  std::size_t folders = 0;
  auto add = [&](const fs::path& dir, int depth) -> Result<> {
    if (++folders > kMaxNpmGlobalFolders)
      return fail(Errc::resource_exhausted, "more than " + std::to_string(kMaxNpmGlobalFolders) +
                                                " package folders under " + dir.string());
    if (auto p = read_package(dir, max_bytes))
      out.packages.push_back(std::move(*p));
    else
      ++out.skipped;
    // Its own dependencies, installed inside it (npm 7+ installs a global package's tree there).
    std::error_code ec;
    const fs::path nested = dir / "node_modules";
    if (depth < kMaxNpmNesting && !fs::is_symlink(nested, ec) && fs::is_directory(nested, ec))
      pending.emplace_back(nested, depth + 1);
    return {};
  };
  while (!pending.empty()) {
    auto [dir, depth] = std::move(pending.front());
    pending.pop_front();
    PP_TRY(entries, package_dirs(dir));
    for (const fs::path& entry : entries) {
      if (entry.filename().string().front() != '@') {
        PP_CHECK(add(entry, depth));
        continue;
      }
      PP_TRY(scoped, package_dirs(entry));
      for (const fs::path& package : scoped) PP_CHECK(add(package, depth));
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
