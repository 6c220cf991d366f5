#include "collectors/inventory/python_site.h"

#include <algorithm>
#include <fstream>
#include <system_error>
#include <utility>

namespace patchparty::inventory {

namespace {

namespace fs = std::filesystem;

bool is_token(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

bool iends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && iequals(s.substr(s.size() - suffix.size()), suffix);
}

// email.feedparser's headerRE: a field name of printable ASCII other than ":" and space.
bool is_field_name(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 0x7f && c != ':'; });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

struct Headers {
  std::optional<std::string_view> name, version;
  bool complete = false;  // the block ended before the text did
};

Headers read_headers(std::string_view text) {
  Headers h;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) break;  // a last line without "\n" may be cut off
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty() || line.front() == ' ' || line.front() == '\t') {
      if (line.empty()) {
        h.complete = true;
        return h;
      }
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string_view::npos || !is_field_name(line.substr(0, colon))) {
      h.complete = true;
      return h;
    }
    const std::string_view field = line.substr(0, colon);
    const std::string_view value = trim(line.substr(colon + 1));
    if (!h.name && iequals(field, "Name")) h.name = value;
    if (!h.version && iequals(field, "Version")) h.version = value;
  }
  // The last line counts when the text is the whole file.
  if (pos < text.size()) {
    const std::string_view line = text.substr(pos);
    const auto colon = line.find(':');
    if (colon != std::string_view::npos && is_field_name(line.substr(0, colon))) {
      const std::string_view field = line.substr(0, colon);
      const std::string_view value = trim(line.substr(colon + 1));
      if (!h.name && iequals(field, "Name")) h.name = value;
      if (!h.version && iequals(field, "Version")) h.version = value;
    }
  }
  return h;
}

Result<PythonMetadata> to_metadata(const Headers& h) {
  if (!h.name) return fail(Errc::invalid_argument, "no Name header");
  if (!h.version) return fail(Errc::invalid_argument, "no Version header");
  if (!is_token(*h.name))
    return fail(Errc::invalid_argument, "Name is not printable ASCII without spaces");
  if (!is_token(*h.version))
    return fail(Errc::invalid_argument, "Version is not printable ASCII without spaces");
  return PythonMetadata{std::string(*h.name), std::string(*h.version)};
}

// The first `max_bytes` of `file`, and whether that is all of it; nullopt when unreadable.
std::optional<std::pair<std::string, bool>> read_prefix(const fs::path& file,
                                                        std::size_t max_bytes) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::string text(max_bytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) return std::nullopt;
  text.resize(static_cast<std::size_t>(in.gcount()));
  const bool whole = text.size() <= max_bytes;
  if (!whole) text.resize(max_bytes);
  return std::pair{std::move(text), whole};
}

// importlib.metadata's order: METADATA, then PKG-INFO, then the record itself; an empty file
// falls through to the next.
std::optional<PythonMetadata> read_record(const fs::path& record, std::size_t max_bytes) {
  std::error_code ec;
  std::vector<fs::path> candidates;
  if (fs::is_directory(record, ec)) {
    candidates = {record / "METADATA", record / "PKG-INFO"};
  } else if (fs::is_regular_file(record, ec)) {
    candidates = {record};
  }
  for (const fs::path& file : candidates) {
    if (!fs::is_regular_file(file, ec)) continue;
    auto text = read_prefix(file, max_bytes);
    if (!text) return std::nullopt;
    if (text->first.empty()) continue;
    Headers h = read_headers(text->first);
    if (!h.complete && !text->second) return std::nullopt;  // cut off inside the headers
    auto metadata = to_metadata(h);
    if (!metadata) return std::nullopt;
    return std::move(*metadata);
  }
  return std::nullopt;
}

}  // namespace

Result<PythonMetadata> parse_python_metadata(std::string_view text) {
  return to_metadata(read_headers(text));
}

Result<PythonSiteScan> scan_python_site(const std::vector<fs::path>& dirs, std::size_t max_bytes) {
  PythonSiteScan out;
  for (const fs::path& dir : dirs) {
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec == std::errc::no_such_file_or_directory || ec == std::errc::not_a_directory) continue;
    if (ec) return tl::make_unexpected(errno_error(ec.value(), dir.string()));
    for (; it != fs::directory_iterator(); it.increment(ec)) {
      const fs::path record = it->path();
      const std::string file_name = record.filename().string();
      if (!iends_with(file_name, ".dist-info") && !iends_with(file_name, ".egg-info")) continue;
      auto metadata = read_record(record, max_bytes);
      if (!metadata) {
        ++out.skipped;
        continue;
      }
      Package p;
      p.ecosystem = "PyPI";
      p.name = std::move(metadata->name);
      p.version = std::move(metadata->version);
      p.source_name = p.name;
      p.source_version = p.version;
      p.origin = "python-site";
      p.location = record.string();
      out.packages.push_back(std::move(p));
    }
    if (ec) return tl::make_unexpected(errno_error(ec.value(), dir.string()));
  }
  std::sort(out.packages.begin(), out.packages.end(),
            [](const Package& a, const Package& b) { return a.location < b.location; });
  return out;
}

std::vector<fs::path> default_python_site_dirs() {
  std::vector<fs::path> dirs{"/usr/lib/python3/dist-packages"};
  const auto versions = [](const fs::path& base) {
    std::vector<fs::path> found;
    std::error_code ec;
    for (fs::directory_iterator it(base, ec); !ec && it != fs::directory_iterator();
         it.increment(ec))
      if (it->path().filename().string().starts_with("python3.")) found.push_back(it->path());
    std::sort(found.begin(), found.end());
    return found;
  };
  for (const fs::path& v : versions("/usr/local/lib")) {
    dirs.push_back(v / "dist-packages");
    dirs.push_back(v / "site-packages");
  }
  for (const fs::path& v : versions("/usr/lib")) dirs.push_back(v / "site-packages");
  return dirs;
}

PythonSite::PythonSite(std::vector<fs::path> dirs, std::size_t max_bytes)
    : dirs_(std::move(dirs)), max_bytes_(max_bytes) {}

Result<std::vector<Package>> PythonSite::scan() {
  PP_TRY(result, scan_python_site(dirs_ ? *dirs_ : default_python_site_dirs(), max_bytes_));
  skipped_ = result.skipped;
  return std::move(result.packages);
}

}  // namespace patchparty::inventory
