#include "collectors/inventory/os_release.h"

#include <algorithm>
#include <array>
#include <utility>

#include "core/base/bounded_file.h"
#include "core/base/error_context.h"

namespace patchparty::inventory {

namespace {

// A real os-release is under 1 KiB; anything near this is not one.
constexpr std::size_t kMaxOsReleaseBytes = 64u << 10;

bool is_key_char(char c, bool first) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
         (!first && c >= '0' && c <= '9');
}

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// "9.3" → "9"; the part before the first dot, which must be a number.
std::string_view major_of(std::string_view version_id) {
  return version_id.substr(0, version_id.find('.'));
}

std::string_view strip_prefix(std::string_view s, std::string_view prefix) {
  return s.starts_with(prefix) ? s.substr(prefix.size()) : s;
}

bool has_word(std::string_view s, std::string_view word) {
  std::size_t pos = 0;
  while ((pos = s.find(word, pos)) != std::string_view::npos) {
    bool left = pos == 0 || s[pos - 1] == ' ' || s[pos - 1] == ',';
    auto end = pos + word.size();
    bool right = end == s.size() || s[end] == ' ' || s[end] == ',' || s[end] == ')';
    if (left && right) return true;
    pos = end;
  }
  return false;
}

Error bad_version(const OsRelease& os) {
  return Error{Errc::invalid_argument, "os-release: " + os.id + ": VERSION_ID '" + os.version_id +
                                           "' is not a release number"};
}

Result<std::string> debian(const OsRelease& os) {
  if (os.version_id.empty()) return std::string("Debian");
  if (!is_digits(os.version_id)) return tl::make_unexpected(bad_version(os));
  return "Debian:" + os.version_id;
}

Result<std::string> ubuntu(const OsRelease& os) {
  std::string_view v = os.version_id;
  auto dot = v.find('.');
  if (dot == std::string_view::npos || !is_digits(v.substr(0, dot)) ||
      !is_digits(v.substr(dot + 1)))
    return tl::make_unexpected(bad_version(os));
  // Every LTS so far is an even year's April release; VERSION says so outright when present.
  bool lts = os.version.empty() ? v.substr(dot + 1) == "04" && (v[dot - 1] - '0') % 2 == 0
                                : has_word(os.version, "LTS");
  return "Ubuntu:" + os.version_id + (lts ? ":LTS" : "");
}

Result<std::string> alpine(const OsRelease& os) {
  std::string_view v = os.version_id;
  if (v.find("_alpha") != std::string_view::npos) {
    return fail(Errc::not_found,
                "os-release: alpine " + os.version_id + " is edge, which has no OSV ecosystem");
  }
  auto first = v.find('.');
  if (first == std::string_view::npos) return tl::make_unexpected(bad_version(os));
  auto second = v.find('.', first + 1);
  auto minor = v.substr(first + 1, second == std::string_view::npos ? v.npos : second - first - 1);
  if (!is_digits(v.substr(0, first)) || !is_digits(minor))
    return tl::make_unexpected(bad_version(os));
  if (second != std::string_view::npos && !is_digits(v.substr(second + 1)))
    return tl::make_unexpected(bad_version(os));
  return "Alpine:v" + std::string(v.substr(0, first)) + "." + std::string(minor);
}

// RHEL and its rebuilds: OSV scopes them by major release only.
Result<std::string> by_major(const OsRelease& os, std::string_view prefix) {
  auto major = major_of(os.version_id);
  if (!is_digits(major)) return tl::make_unexpected(bad_version(os));
  std::string_view rest = std::string_view(os.version_id).substr(major.size());
  if (!rest.empty() && !is_digits(rest.substr(1))) return tl::make_unexpected(bad_version(os));
  return std::string(prefix) + std::string(major);
}

// Numeric release, kept as written ("9", "5.0").
Result<std::string> by_release(const OsRelease& os, std::string_view prefix) {
  std::string_view v = os.version_id;
  if (v.empty() || v.front() == '.' || v.back() == '.' ||
      !std::all_of(v.begin(), v.end(), [](char c) { return (c >= '0' && c <= '9') || c == '.'; }))
    return tl::make_unexpected(bad_version(os));
  return std::string(prefix) + os.version_id;
}

// SUSE ecosystems are named after PRETTY_NAME (osv-schema); the vendor is the prefix.
Result<std::string> suse(const OsRelease& os, std::string_view vendor) {
  std::string_view product = strip_prefix(os.pretty_name, std::string(vendor) + " ");
  if (product.empty() || product == os.pretty_name) {
    return fail(Errc::invalid_argument, "os-release: " + os.id + ": PRETTY_NAME '" +
                                            os.pretty_name + "' does not name a " +
                                            std::string(vendor) + " product");
  }
  return std::string(vendor) + ":" + std::string(product);
}

}  // namespace

Result<OsRelease> parse_os_release(std::string_view text) {
  OsRelease os;
  std::size_t pos = 0;
  std::size_t line = 1;
  auto skip_line = [&] {
    while (pos < text.size() && text[pos] != '\n') ++pos;
  };
  while (pos < text.size()) {
    char c = text[pos];
    if (c == '\n') {
      ++line;
      ++pos;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      ++pos;
      continue;
    }
    if (c == '#' || !is_key_char(c, true)) {
      skip_line();
      continue;
    }
    auto key_start = pos;
    while (pos < text.size() && is_key_char(text[pos], false)) ++pos;
    auto key = text.substr(key_start, pos - key_start);
    if (pos >= text.size() || text[pos] != '=') {
      skip_line();
      continue;
    }
    ++pos;

    auto value_line = line;
    std::string value;
    std::size_t kept = 0;  // length without trailing unquoted whitespace
    auto unterminated = [&](std::string_view quote) {
      return fail(Errc::data_loss, "line " + std::to_string(value_line) + ": " + std::string(key) +
                                       ": unterminated " + std::string(quote) + " quote");
    };
    while (pos < text.size() && text[pos] != '\n') {
      c = text[pos++];
      if (c == '"') {
        for (;;) {
          if (pos >= text.size()) return unterminated("double");
          c = text[pos++];
          if (c == '"') break;
          if (c == '\\' && pos < text.size()) {
            char next = text[pos];
            if (next == '\n') {  // line continuation
              ++pos;
              ++line;
              continue;
            }
            if (next == '"' || next == '\\' || next == '$' || next == '`') {
              value.push_back(next);
              ++pos;
              continue;
            }
          }
          if (c == '\n') ++line;
          value.push_back(c);
        }
        kept = value.size();
      } else if (c == '\'') {
        auto end = text.find('\'', pos);
        if (end == std::string_view::npos) return unterminated("single");
        auto quoted = text.substr(pos, end - pos);
        line += static_cast<std::size_t>(std::count(quoted.begin(), quoted.end(), '\n'));
        value.append(quoted);
        pos = end + 1;
        kept = value.size();
      } else if (c == '\\') {
        if (pos >= text.size()) break;
        char next = text[pos++];
        if (next == '\n') {
          ++line;
          continue;
        }
        value.push_back(next);
        kept = value.size();
      } else {
        value.push_back(c);
        if (c != ' ' && c != '\t' && c != '\r') kept = value.size();
      }
    }
    value.resize(kept);

    if (key == "ID") {
      os.id = std::move(value);
    } else if (key == "VERSION_ID") {
      os.version_id = std::move(value);
    } else if (key == "VERSION_CODENAME") {
      os.version_codename = std::move(value);
    } else if (key == "ID_LIKE") {
      os.id_like = std::move(value);
    } else if (key == "PRETTY_NAME") {
      os.pretty_name = std::move(value);
    } else if (key == "VERSION") {
      os.version = std::move(value);
    }
  }
  return os;
}

Result<std::string> osv_ecosystem(const OsRelease& os) {
  const std::string& id = os.id;
  if (id == "debian") return debian(os);
  if (id == "ubuntu") return ubuntu(os);
  if (id == "alpine") return alpine(os);
  if (id == "rhel") return by_major(os, "Red Hat:enterprise_linux:");
  if (id == "rocky") return by_major(os, "Rocky Linux:");
  if (id == "almalinux") return by_major(os, "AlmaLinux:");
  if (id == "opensuse-leap") {
    PP_TRY(release, by_release(os, ""));
    return "openSUSE:Leap " + release;
  }
  if (id == "opensuse-tumbleweed") return std::string("openSUSE:Tumbleweed");
  if (id == "sles" || id == "sled" || id == "sles_sap") return suse(os, "SUSE");
  if (id == "mageia") return by_release(os, "Mageia:");
  if (id == "photon") return by_release(os, "Photon OS:");
  if (id == "wolfi") return std::string("Wolfi");
  if (id == "chainguard") return std::string("Chainguard");
  return fail(Errc::not_found, "os-release: no OSV ecosystem for ID '" + id + "'" +
                                   (os.id_like.empty() ? "" : " (ID_LIKE '" + os.id_like + "')"));
}

Result<OsRelease> read_os_release(const std::filesystem::path& root) {
  const std::array<std::filesystem::path, 2> candidates = {"/etc/os-release",
                                                           "/usr/lib/os-release"};
  for (const auto& candidate : candidates) {
    auto file = under_root(root, candidate);
    auto text = read_bounded_file(file, kMaxOsReleaseBytes);
    if (!text) {
      if (text.error().code == Errc::not_found) continue;
      return tl::make_unexpected(std::move(text).error());
    }
    return with_context(parse_os_release(*text), file.string());
  }
  return fail(Errc::not_found, "neither " + under_root(root, candidates[0]).string() + " nor " +
                                   under_root(root, candidates[1]).string() + " exists");
}

}  // namespace patchparty::inventory
