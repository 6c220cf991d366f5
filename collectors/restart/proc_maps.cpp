#include "collectors/restart/proc_maps.h"

#include <charconv>
#include <set>

namespace patchparty::restart {

namespace {

constexpr std::string_view kDeletedSuffix = " (deleted)";

// The next whitespace-separated field of `line`, advancing `pos`.
std::string_view next_field(std::string_view line, std::size_t& pos) {
  while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
  const std::size_t start = pos;
  while (pos < line.size() && line[pos] != ' ' && line[pos] != '\t') ++pos;
  return line.substr(start, pos - start);
}

bool parse_hex(std::string_view s, unsigned& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out, 16);
  return ec == std::errc() && p == s.data() + s.size() && !s.empty();
}

bool parse_dec(std::string_view s, std::uint64_t& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out, 10);
  return ec == std::errc() && p == s.data() + s.size() && !s.empty();
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

std::vector<MappedFile> parse_maps(std::string_view text, std::size_t max_lines) {
  std::vector<MappedFile> out;
  std::set<std::string, std::less<>> seen;
  std::size_t lines = 0;
  while (!text.empty() && lines < max_lines) {
    ++lines;
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    // address perms offset dev inode pathname; the path is the rest of the line and may hold
    // spaces, so it is taken from the sixth field's start to the end.
    std::size_t pos = 0;
    next_field(line, pos);  // address
    next_field(line, pos);  // perms
    next_field(line, pos);  // offset
    const std::string_view dev = next_field(line, pos);
    const std::string_view inode_text = next_field(line, pos);
    while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
    std::string_view path = line.substr(pos);
    if (path.empty() || path.front() != '/') continue;  // anonymous, [heap], [vdso], ...
    MappedFile m;
    const auto colon = dev.find(':');
    if (colon == std::string_view::npos || !parse_hex(dev.substr(0, colon), m.dev_major) ||
        !parse_hex(dev.substr(colon + 1), m.dev_minor) || !parse_dec(inode_text, m.inode) ||
        m.inode == 0)
      continue;
    if (path.ends_with(kDeletedSuffix)) {
      m.deleted = true;
      path.remove_suffix(kDeletedSuffix.size());
    }
    if (seen.contains(path)) continue;
    seen.emplace(path);
    m.path = std::string(path);
    out.push_back(std::move(m));
  }
  return out;
}

bool is_shared_library(std::string_view path) {
  const auto slash = path.rfind('/');
  const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const auto so = name.find(".so");
  if (so == std::string_view::npos || so == 0) return false;
  std::string_view rest = name.substr(so + 3);
  // ".so" then nothing, or only ".<digits>" groups (the soname and full version).
  while (!rest.empty()) {
    if (rest.front() != '.') return false;
    rest.remove_prefix(1);
    std::size_t n = 0;
    while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') ++n;
    if (!all_digits(rest.substr(0, n))) return false;
    rest.remove_prefix(n);
  }
  return true;
}

bool is_ignored_mapping(std::string_view path, const std::vector<std::string>& prefixes) {
  for (const auto& p : prefixes)
    if (path.starts_with(p)) return true;
  return false;
}

}  // namespace patchparty::restart
