#include "core/versions/composer_version.h"

#include <cctype>
#include <climits>
#include <optional>
#include <string>

#include "core/base/pattern.h"
#include "core/versions/parsed_scheme.h"

namespace patchparty::versions {
namespace {

constexpr std::size_t kMaxVersionLength = 1024;

const std::string kModifier =
    "[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\\d+)*)?)?([.-]?dev)?";

struct NormalizePatterns {
  Pattern alias{"^([^,\\s]+) +as +([^,\\s]+)$"};
  Pattern flag{"@(?:stable|RC|beta|alpha|dev)$", PatternCase::insensitive};
  Pattern build{"^([^,\\s+]+)\\+[^\\s]+$"};
  Pattern classical{"^v?(\\d{1,5})(\\.\\d+)?(\\.\\d+)?(\\.\\d+)?" + kModifier + "$",
                    PatternCase::insensitive};
  Pattern date{"^v?(\\d{4}(?:[.:-]?\\d{2}){1,6}(?:[.:-]?\\d{1,3})?)" + kModifier + "$",
               PatternCase::insensitive};
  Pattern branch{"^v?(\\d+)(\\.(?:\\d+|[xX*]))?(\\.(?:\\d+|[xX*]))?(\\.(?:\\d+|[xX*]))?$",
                 PatternCase::insensitive};
  Pattern stability{kModifier + "(?:\\+[^\\n]*)?$", PatternCase::insensitive};
};

const NormalizePatterns& patterns() {
  static const NormalizePatterns p;
  return p;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string expand_stability(std::string_view s) {
  std::string l = lower(s);
  if (l == "a") return "alpha";
  if (l == "b") return "beta";
  if (l == "p" || l == "pl") return "patch";
  if (l == "rc") return "RC";
  return l;
}

std::string ltrim_dot_dash(std::string s) {
  std::size_t n = 0;
  while (n < s.size() && (s[n] == '.' || s[n] == '-')) ++n;
  return s.substr(n);
}

// Appends the stability modifier captured at groups [index, index + 2] (stability, number, dev).
std::string with_modifiers(std::string version, const PatternMatch& m, std::size_t index) {
  if (m[index].matched && m[index].length() > 0) {
    if (m[index].str() == "stable") return version;
    version += "-" + expand_stability(m[index].str()) +
               (m[index + 1].matched ? ltrim_dot_dash(m[index + 1].str()) : "");
  }
  if (m[index + 2].matched && m[index + 2].length() > 0) version += "-dev";
  return version;
}

std::string normalize_branch(std::string_view raw) {
  std::string name = php_trim(raw);
  PatternMatch m;
  if (patterns().branch.full_match(name, &m)) {
    std::string version;
    for (std::size_t i = 1; i < 5; ++i) {
      if (!m[i].matched) {
        version += ".x";
        continue;
      }
      for (char c : m[i].str()) version += (c == '*' || c == 'X') ? 'x' : c;
    }
    std::string out;
    for (char c : version) out += c == 'x' ? std::string("9999999") : std::string(1, c);
    return out + "-dev";
  }
  return "dev-" + name;
}

// The branch name in '{(.*?)[.-]?dev$}i', found directly: the lazy prefix searched from every
// start would take quadratic time.
std::optional<std::string> dev_suffix_name(std::string_view s) {
  // "$" also matches before a final newline, and "." never matches a newline.
  if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
  if (s.size() < 3 || lower(s.substr(s.size() - 3)) != "dev") return std::nullopt;
  std::size_t end = s.size() - 3;
  std::size_t newline = s.substr(0, end).rfind('\n');
  std::size_t start = newline == std::string_view::npos ? 0 : newline + 1;
  if (end > start && (s[end - 1] == '.' || s[end - 1] == '-')) --end;
  return std::string(s.substr(start, end - start));
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_alnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// php_canonicalize_version: "-", "_" and "+" become ".", and a "." goes between digits and
// non-digits, so "1.0rc1" reads as "1.0.rc.1".
std::string php_canonicalize(std::string_view v) {
  if (v.empty()) return "";
  std::string q(1, v[0]);
  char lp = v[0];
  auto dig = [](char c) { return is_digit(c); };
  auto ndig = [](char c) { return !is_digit(c) && c != '.'; };
  for (std::size_t i = 1; i < v.size(); ++i) {
    char c = v[i];
    char lq = q.back();
    if (c == '-' || c == '_' || c == '+') {
      if (lq != '.') q += '.';
    } else if ((ndig(lp) && dig(c)) || (dig(lp) && ndig(c))) {
      if (lq != '.') q += '.';
      q += c;
    } else if (!is_alnum(c)) {
      if (lq != '.') q += '.';
    } else {
      q += c;
    }
    lp = c;
  }
  return q;
}

int special_form_order(std::string_view form) {
  static constexpr std::pair<std::string_view, int> kForms[] = {
      {"dev", 0}, {"alpha", 1}, {"a", 1}, {"beta", 2}, {"b", 2},
      {"RC", 3},  {"rc", 3},    {"#", 4}, {"pl", 5},   {"p", 5}};
  for (const auto& [name, order] : kForms)
    if (form.substr(0, name.size()) == name) return order;
  return -1;
}

int compare_special_forms(std::string_view a, std::string_view b) {
  int x = special_form_order(a), y = special_form_order(b);
  return x < y ? -1 : (x > y ? 1 : 0);
}

// strtol: the leading digits, saturating at LONG_MAX.
long saturating_number(std::string_view s) {
  long v = 0;
  for (char c : s) {
    if (!is_digit(c)) break;
    int d = c - '0';
    if (v > (LONG_MAX - d) / 10) return LONG_MAX;
    v = v * 10 + d;
  }
  return v;
}

}  // namespace

std::string php_trim(std::string_view s) {
  auto strip = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\0' || c == '\x0B';
  };
  while (!s.empty() && strip(s.front())) s.remove_prefix(1);
  while (!s.empty() && strip(s.back())) s.remove_suffix(1);
  return std::string(s);
}

int php_version_compare(std::string_view a_in, std::string_view b_in) {
  // PHP hands C strings to this code, so it stops at the first NUL.
  std::string_view a = a_in.substr(0, a_in.find('\0'));
  std::string_view b = b_in.substr(0, b_in.find('\0'));
  if (a.empty() || b.empty()) {
    if (a.empty() && b.empty()) return 0;
    return a.empty() ? -1 : 1;
  }
  std::string v1 = a[0] == '#' ? std::string(a) : php_canonicalize(a);
  std::string v2 = b[0] == '#' ? std::string(b) : php_canonicalize(b);
  auto at = [](const std::string& s, std::size_t i) { return i < s.size() ? s[i] : '\0'; };
  std::size_t p1 = 0, p2 = 0;
  bool n1 = true, n2 = true;
  int compare = 0;
  while (at(v1, p1) && at(v2, p2) && n1 && n2) {
    std::size_t e1 = v1.find('.', p1), e2 = v2.find('.', p2);
    n1 = e1 != std::string::npos;
    n2 = e2 != std::string::npos;
    std::string_view s1 = std::string_view(v1).substr(p1, n1 ? e1 - p1 : std::string::npos);
    std::string_view s2 = std::string_view(v2).substr(p2, n2 ? e2 - p2 : std::string::npos);
    if (is_digit(s1[0]) && is_digit(s2[0])) {
      long l1 = saturating_number(s1), l2 = saturating_number(s2);
      compare = l1 < l2 ? -1 : (l1 > l2 ? 1 : 0);
    } else if (!is_digit(s1[0]) && !is_digit(s2[0])) {
      compare = compare_special_forms(s1, s2);
    } else if (is_digit(s1[0])) {
      compare = compare_special_forms("#N#", s2);
    } else {
      compare = compare_special_forms(s1, "#N#");
    }
    if (compare != 0) break;
    if (n1) p1 = e1 + 1;
    if (n2) p2 = e2 + 1;
  }
  if (compare == 0) {
    if (n1) {
      compare =
          is_digit(at(v1, p1)) ? 1 : php_version_compare(v1.substr(std::min(p1, v1.size())), "#N#");
    } else if (n2) {
      compare = is_digit(at(v2, p2))
                    ? -1
                    : php_version_compare("#N#", v2.substr(std::min(p2, v2.size())));
    }
  }
  return compare;
}

Result<std::string> composer_normalize(std::string_view input) {
  if (input.size() > kMaxVersionLength)
    return fail(Errc::invalid_argument, "composer: version longer than 1024 bytes");
  const NormalizePatterns& p = patterns();
  auto invalid = [&] {
    return fail(Errc::invalid_argument, "composer: invalid version \"" + std::string(input) + "\"");
  };
  std::string version = php_trim(input);
  PatternMatch m;
  if (p.alias.full_match(version, &m)) version = m[1].str();
  if (p.flag.search(version, &m))
    version.resize(version.size() - static_cast<std::size_t>(m[0].length()));
  if (version == "master" || version == "trunk" || version == "default") version = "dev-" + version;
  if (lower(version.substr(0, 4)) == "dev-") return "dev-" + version.substr(4);
  if (p.build.full_match(version, &m)) version = m[1].str();
  if (p.classical.full_match(version, &m)) {
    std::string out = m[1].str() + (m[2].length() ? m[2].str() : ".0") +
                      (m[3].length() ? m[3].str() : ".0") + (m[4].length() ? m[4].str() : ".0");
    return with_modifiers(out, m, 5);
  }
  if (p.date.full_match(version, &m)) {
    std::string out = m[1].str();
    for (char& c : out)
      if (!is_digit(c)) c = '.';
    return with_modifiers(out, m, 2);
  }
  if (auto name = dev_suffix_name(version)) {
    std::string branch = normalize_branch(*name);
    if (branch.find("dev-") == std::string::npos) return branch;
  }
  return invalid();
}

std::string composer_stability(std::string_view normalized) {
  std::string version(normalized);
  if (auto hash = version.find('#'); hash != std::string::npos && hash + 1 < version.size() &&
                                     version.find('\n', hash) == std::string::npos)
    version.resize(hash);
  if (version.rfind("dev-", 0) == 0 ||
      (version.size() >= 4 && version.compare(version.size() - 4, 4, "-dev") == 0))
    return "dev";
  std::string l = lower(version);
  PatternMatch m;
  if (!patterns().stability.search(l, &m)) return "stable";
  if (m[3].matched && m[3].length() > 0) return "dev";
  if (m[1].matched && m[1].length() > 0) {
    std::string s = m[1].str();
    if (s == "beta" || s == "b") return "beta";
    if (s == "alpha" || s == "a") return "alpha";
    if (s == "rc") return "RC";
  }
  return "stable";
}

namespace {

std::string_view default_branch(std::string_view v) {
  if (v == "dev-master" || v == "dev-default" || v == "dev-trunk") return "9999999-dev";
  return v;
}

int compare_normalized(const std::string& normalized_a, const std::string& normalized_b) {
  const std::string_view x = default_branch(normalized_a), y = default_branch(normalized_b);
  if (x == y) return 0;
  // Composer leaves two named branches unordered; a total order is needed here, so they go
  // by name, which keeps the order transitive and never mixes branches with releases.
  if (x.starts_with("dev-") && y.starts_with("dev-")) return x < y ? -1 : 1;
  return php_version_compare(x, y);
}

}  // namespace

const VersionScheme& composer_scheme() {
  static const ParsedScheme<composer_normalize, compare_normalized> scheme("composer");
  return scheme;
}

}  // namespace patchparty::versions
