#include "core/versions/semver_version.h"

#include <cstdlib>
#include <string>

#include "core/versions/parsed_scheme.h"

namespace patchparty::versions {
namespace {

constexpr std::size_t kMaxNodeLength = 256;
constexpr std::string_view kMaxSafeInteger = "9007199254740991";

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_ident_char(char c) {
  return is_digit(c) || is_alpha(c) || c == '-';
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_digit(c)) return false;
  return true;
}

// node-semver counts length in UTF-16 code units; a 4-byte UTF-8 sequence is a surrogate pair.
std::size_t utf16_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) == 0x80) continue;
    n += c >= 0xF0 ? 2 : 1;
  }
  return n;
}

std::vector<std::string> split_dots(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = s.find('.', start);
    out.emplace_back(s.substr(start, dot == std::string_view::npos ? s.npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return out;
}

bool valid_number(std::string_view s) {
  return all_digits(s) && (s.size() == 1 || s[0] != '0');
}

bool valid_prerelease_id(std::string_view id) {
  if (id.empty()) return false;
  for (char c : id)
    if (!is_ident_char(c)) return false;
  return !all_digits(id) || valid_number(id);
}

bool valid_build_id(std::string_view id) {
  if (id.empty()) return false;
  for (char c : id)
    if (!is_ident_char(c)) return false;
  return true;
}

Error invalid(SemverDialect dialect, std::string_view text, std::string_view why) {
  return Error{Errc::invalid_argument, std::string(dialect == SemverDialect::go ? "go" : "semver") +
                                           ": invalid version \"" + std::string(text) +
                                           "\": " + std::string(why)};
}

// Splits "M.m.p-pre+build" into its parts; the main part is checked by the caller.
Result<Semver> parse_tail(std::string_view text, std::string_view rest, Semver v,
                          SemverDialect dialect) {
  std::size_t plus = rest.find('+');
  std::string_view build =
      plus == std::string_view::npos ? std::string_view() : rest.substr(plus + 1);
  std::string_view before_build = rest.substr(0, plus);
  if (plus != std::string_view::npos) {
    v.build = split_dots(build);
    for (const auto& id : v.build)
      if (!valid_build_id(id))
        return tl::make_unexpected(invalid(dialect, text, "bad build metadata"));
  }
  if (!before_build.empty()) {
    if (before_build[0] != '-')
      return tl::make_unexpected(invalid(dialect, text, "bad patch number"));
    v.prerelease = split_dots(before_build.substr(1));
    for (const auto& id : v.prerelease)
      if (!valid_prerelease_id(id))
        return tl::make_unexpected(invalid(dialect, text, "bad prerelease identifier"));
  }
  return v;
}

// The leading digits of `s`, which it loses.
std::string_view take_digits(std::string_view& s) {
  std::size_t n = 0;
  while (n < s.size() && is_digit(s[n])) ++n;
  std::string_view digits = s.substr(0, n);
  s.remove_prefix(n);
  return digits;
}

Result<Semver> parse_node(std::string_view raw) {
  if (utf16_length(raw) > kMaxNodeLength)
    return tl::make_unexpected(invalid(SemverDialect::node, raw, "longer than 256 characters"));
  std::string_view s = trim_js_whitespace(raw);
  if (!s.empty() && s[0] == 'v') s.remove_prefix(1);
  Semver v;
  std::string* parts[3] = {&v.major, &v.minor, &v.patch};
  for (int i = 0; i < 3; ++i) {
    std::string_view num = take_digits(s);
    if (!valid_number(num))
      return tl::make_unexpected(invalid(SemverDialect::node, raw, "bad major.minor.patch"));
    if (compare_decimal(num, kMaxSafeInteger) > 0)
      return tl::make_unexpected(invalid(SemverDialect::node, raw, "number above 2^53-1"));
    *parts[i] = std::string(num);
    if (i < 2) {
      if (s.empty() || s[0] != '.')
        return tl::make_unexpected(invalid(SemverDialect::node, raw, "bad major.minor.patch"));
      s.remove_prefix(1);
    }
  }
  return parse_tail(raw, s, std::move(v), SemverDialect::node);
}

Result<Semver> parse_go(std::string_view raw) {
  std::string_view s = raw;
  if (!s.empty() && s[0] == 'v') s.remove_prefix(1);
  Semver v;
  std::string* parts[3] = {&v.major, &v.minor, &v.patch};
  for (int i = 0; i < 3; ++i) {
    std::string_view num = take_digits(s);
    if (!valid_number(num))
      return tl::make_unexpected(invalid(SemverDialect::go, raw, "bad major.minor.patch"));
    *parts[i] = std::string(num);
    if (s.empty() && i > 0 && i < 2) {  // "v1.2" is Go's shorthand for v1.2.0
      v.patch = "0";
      return v;
    }
    if (s.empty() && i == 0) {  // "v1" is Go's shorthand for v1.0.0
      v.minor = "0";
      v.patch = "0";
      return v;
    }
    if (i < 2) {
      if (s[0] != '.')
        return tl::make_unexpected(invalid(SemverDialect::go, raw, "bad major.minor.patch"));
      s.remove_prefix(1);
    }
  }
  return parse_tail(raw, s, std::move(v), SemverDialect::go);
}

// node-semver turns all-digit identifiers below 2^53-1 into numbers and leaves bigger ones as
// strings, which it converts with unary + (to a rounded double) when both sides are all digits.
bool node_is_number(std::string_view id) {
  return all_digits(id) && compare_decimal(id, kMaxSafeInteger) < 0;
}

// Returns 2 for "equal, go on with the next identifier" and -1, 0, 1 for a final answer.
int compare_node_identifiers(const std::string& a, const std::string& b) {
  bool a_number = node_is_number(a);
  bool b_number = node_is_number(b);
  if (a_number == b_number && a == b) return 2;
  bool a_digits = all_digits(a);
  bool b_digits = all_digits(b);
  if (a_digits && b_digits) {
    if (a_number && b_number) return compare_decimal(a, b) < 0 ? -1 : 1;
    double x = std::strtod(a.c_str(), nullptr);
    double y = std::strtod(b.c_str(), nullptr);
    return x == y ? 0 : (x < y ? -1 : 1);
  }
  if (a_digits) return -1;
  if (b_digits) return 1;
  return a < b ? -1 : 1;
}

int compare_go_identifiers(const std::string& a, const std::string& b) {
  if (a == b) return 2;
  bool a_digits = all_digits(a);
  bool b_digits = all_digits(b);
  if (a_digits != b_digits) return a_digits ? -1 : 1;
  if (a_digits) return compare_decimal(a, b);
  return a < b ? -1 : 1;
}

}  // namespace

bool is_js_whitespace_at(std::string_view s, std::size_t pos, std::size_t* length) {
  auto byte = [&](std::size_t i) -> unsigned { return static_cast<unsigned char>(s[pos + i]); };
  std::size_t left = s.size() - pos;
  if (left == 0) return false;
  unsigned c = byte(0);
  if (c == ' ' || (c >= 0x09 && c <= 0x0D)) {
    *length = 1;
    return true;
  }
  if (left >= 2 && c == 0xC2 && byte(1) == 0xA0) {
    *length = 2;
    return true;
  }
  if (left < 3) return false;
  unsigned c1 = byte(1), c2 = byte(2);
  bool hit = (c == 0xE1 && c1 == 0x9A && c2 == 0x80) ||  // U+1680
             (c == 0xE2 && c1 == 0x80 &&
              ((c2 >= 0x80 && c2 <= 0x8A) ||             // U+2000..200A
               c2 == 0xA8 || c2 == 0xA9 ||               // U+2028, U+2029
               c2 == 0xAF)) ||                           // U+202F
             (c == 0xE2 && c1 == 0x81 && c2 == 0x9F) ||  // U+205F
             (c == 0xE3 && c1 == 0x80 && c2 == 0x80) ||  // U+3000
             (c == 0xEF && c1 == 0xBB && c2 == 0xBF);    // U+FEFF
  if (hit) *length = 3;
  return hit;
}

std::string_view trim_js_whitespace(std::string_view s) {
  std::size_t len = 0;
  while (!s.empty() && is_js_whitespace_at(s, 0, &len)) s.remove_prefix(len);
  while (!s.empty()) {
    bool trimmed = false;
    for (std::size_t width = 1; width <= 3 && width <= s.size(); ++width) {
      if (is_js_whitespace_at(s, s.size() - width, &len) && len == width) {
        s.remove_suffix(width);
        trimmed = true;
        break;
      }
    }
    if (!trimmed) break;
  }
  return s;
}

int compare_decimal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

Result<Semver> parse_semver(std::string_view text, SemverDialect dialect) {
  return dialect == SemverDialect::go ? parse_go(text) : parse_node(text);
}

int compare_semver(const Semver& a, const Semver& b, SemverDialect dialect) {
  if (int c = compare_decimal(a.major, b.major)) return c;
  if (int c = compare_decimal(a.minor, b.minor)) return c;
  if (int c = compare_decimal(a.patch, b.patch)) return c;
  if (a.prerelease.empty() || b.prerelease.empty()) {
    if (a.prerelease.empty() && b.prerelease.empty()) return 0;
    return a.prerelease.empty() ? 1 : -1;
  }
  for (std::size_t i = 0;; ++i) {
    bool a_end = i >= a.prerelease.size();
    bool b_end = i >= b.prerelease.size();
    if (a_end && b_end) return 0;
    if (b_end) return 1;
    if (a_end) return -1;
    int c = dialect == SemverDialect::go
                ? compare_go_identifiers(a.prerelease[i], b.prerelease[i])
                : compare_node_identifiers(a.prerelease[i], b.prerelease[i]);
    if (c != 2) return c;
  }
}

namespace {

int compare_node(const Semver& a, const Semver& b) {
  return compare_semver(a, b, SemverDialect::node);
}

int compare_go(const Semver& a, const Semver& b) {
  return compare_semver(a, b, SemverDialect::go);
}

}  // namespace

const VersionScheme& semver_scheme() {
  static const ParsedScheme<parse_node, compare_node> scheme("semver");
  return scheme;
}

const VersionScheme& go_scheme() {
  static const ParsedScheme<parse_go, compare_go> scheme("go");
  return scheme;
}

}  // namespace patchparty::versions
