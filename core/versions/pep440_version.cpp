#include "core/versions/pep440_version.h"

#include <string>

#include "core/base/pattern.h"
#include "core/versions/parsed_scheme.h"

namespace patchparty::versions {
namespace {

constexpr std::size_t kMaxVersionLength = 1024;

// packaging's VERSION_PATTERN; surrounding whitespace is trimmed beforehand, because Python's
// \s is Unicode-aware and RE2's is not.
const Pattern& version_pattern() {
  static const Pattern re(
      "^v?"
      "(?:([0-9]+)!)?"                                             // 1 epoch
      "([0-9]+(?:\\.[0-9]+)*)"                                     // 2 release
      "([-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?([0-9]+)?)?"  // 3 pre, 4 letter, 5 n
      "((?:-([0-9]+))|(?:[-_.]?(post|rev|r)[-_.]?([0-9]+)?))?"     // 6 post, 7 n, 8 l, 9 n
      "([-_.]?(dev)[-_.]?([0-9]+)?)?"                              // 10 dev, 11 l, 12 n
      "(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?"                     // 13 local
      "$",
      PatternCase::insensitive);
  return re;
}

// str.isspace() in UTF-8: ASCII whitespace, \x1c-\x1f, U+0085, U+00A0, U+1680, U+2000-U+200A,
// U+2028, U+2029, U+202F, U+205F, U+3000.
std::size_t python_space_at(std::string_view s, std::size_t pos) {
  auto byte = [&](std::size_t i) -> unsigned { return static_cast<unsigned char>(s[pos + i]); };
  std::size_t left = s.size() - pos;
  if (left == 0) return 0;
  unsigned c = byte(0);
  if (c == ' ' || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F)) return 1;
  if (left >= 2 && c == 0xC2 && (byte(1) == 0x85 || byte(1) == 0xA0)) return 2;
  if (left < 3) return 0;
  unsigned c1 = byte(1), c2 = byte(2);
  bool hit = (c == 0xE1 && c1 == 0x9A && c2 == 0x80) ||
             (c == 0xE2 && c1 == 0x80 &&
              ((c2 >= 0x80 && c2 <= 0x8A) || c2 == 0xA8 || c2 == 0xA9 || c2 == 0xAF)) ||
             (c == 0xE2 && c1 == 0x81 && c2 == 0x9F) || (c == 0xE3 && c1 == 0x80 && c2 == 0x80);
  return hit ? 3 : 0;
}

std::string_view trim_python(std::string_view s) {
  while (std::size_t n = python_space_at(s, 0)) s.remove_prefix(n);
  while (!s.empty()) {
    bool trimmed = false;
    for (std::size_t w = 1; w <= 3 && w <= s.size(); ++w) {
      if (python_space_at(s, s.size() - w) == w) {
        s.remove_suffix(w);
        trimmed = true;
        break;
      }
    }
    if (!trimmed) break;
  }
  return s;
}

std::string number(std::string_view digits) {
  std::size_t i = 0;
  while (i + 1 < digits.size() && digits[i] == '0') ++i;
  return digits.empty() ? "0" : std::string(digits.substr(i));
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

int compare_numbers(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

std::string canonical_letter(const std::string& raw) {
  std::string l = lower(raw);
  if (l == "alpha") return "a";
  if (l == "beta") return "b";
  if (l == "c" || l == "pre" || l == "preview") return "rc";
  if (l == "rev" || l == "r") return "post";
  return l;
}

// One position of packaging's comparison key: -inf, a value, or +inf.
enum class Bound { below, value, above };

int compare_release(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  auto significant = [](const std::vector<std::string>& r) {
    std::size_t n = r.size();
    while (n > 0 && r[n - 1] == "0") --n;
    return n;
  };
  std::size_t na = significant(a), nb = significant(b);
  for (std::size_t i = 0; i < na && i < nb; ++i)
    if (int c = compare_numbers(a[i], b[i])) return c;
  return na == nb ? 0 : (na < nb ? -1 : 1);
}

int compare_local(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    bool an = all_digits(a[i]), bn = all_digits(b[i]);
    if (an != bn) return an ? 1 : -1;  // (int, "") beats (-inf, str)
    int c = an ? compare_numbers(a[i], b[i]) : a[i].compare(b[i]);
    if (c) return c < 0 ? -1 : 1;
  }
  return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

template <class T, class Cmp>
int compare_bounded(Bound ka, const T& a, Bound kb, const T& b, Cmp cmp) {
  if (ka != kb) return ka < kb ? -1 : 1;
  return ka == Bound::value ? cmp(a, b) : 0;
}

}  // namespace

Result<Pep440Version> parse_pep440(std::string_view text) {
  auto invalid = [&] {
    return fail(Errc::invalid_argument, "pep440: invalid version \"" + std::string(text) + "\"");
  };
  if (text.size() > kMaxVersionLength) return invalid();
  std::string s(trim_python(text));
  PatternMatch m;
  if (!version_pattern().full_match(s, &m)) return invalid();
  Pep440Version v;
  if (m[1].matched) v.epoch = number(m[1].str());
  std::string release = m[2].str();
  std::size_t start = 0;
  while (true) {
    std::size_t dot = release.find('.', start);
    v.release.push_back(number(std::string_view(release).substr(start, dot - start)));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (m[4].matched) v.pre = {canonical_letter(m[4].str()), number(m[5].matched ? m[5].str() : "0")};
  if (m[8].matched)
    v.post = number(m[9].matched ? m[9].str() : "0");
  else if (m[7].matched)
    v.post = number(m[7].str());
  if (m[11].matched) v.dev = number(m[12].matched ? m[12].str() : "0");
  if (m[13].matched) {
    std::vector<std::string> parts;
    std::string local = lower(m[13].str());
    std::string cur;
    for (char c : local) {
      if (c == '.' || c == '-' || c == '_') {
        parts.push_back(all_digits(cur) ? number(cur) : cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    parts.push_back(all_digits(cur) ? number(cur) : cur);
    v.local = std::move(parts);
  }
  return v;
}

int compare_pep440(const Pep440Version& a, const Pep440Version& b) {
  if (int c = compare_numbers(a.epoch, b.epoch)) return c;
  if (int c = compare_release(a.release, b.release)) return c;
  auto pre_bound = [](const Pep440Version& v) {
    if (!v.pre && !v.post && v.dev) return Bound::below;
    return v.pre ? Bound::value : Bound::above;
  };
  using Pre = std::optional<std::pair<std::string, std::string>>;
  if (int c =
          compare_bounded(pre_bound(a), a.pre, pre_bound(b), b.pre, [](const Pre& x, const Pre& y) {
            if (int l = x->first.compare(y->first)) return l < 0 ? -1 : 1;
            return compare_numbers(x->second, y->second);
          }))
    return c;
  using Num = std::optional<std::string>;
  auto cmp_num = [](const Num& x, const Num& y) { return compare_numbers(*x, *y); };
  if (int c = compare_bounded(a.post ? Bound::value : Bound::below, a.post,
                              b.post ? Bound::value : Bound::below, b.post, cmp_num))
    return c;
  if (int c = compare_bounded(a.dev ? Bound::value : Bound::above, a.dev,
                              b.dev ? Bound::value : Bound::above, b.dev, cmp_num))
    return c;
  using Local = std::optional<std::vector<std::string>>;
  return compare_bounded(a.local ? Bound::value : Bound::below, a.local,
                         b.local ? Bound::value : Bound::below, b.local,
                         [](const Local& x, const Local& y) { return compare_local(*x, *y); });
}

const VersionScheme& pep440_scheme() {
  static const ParsedScheme<parse_pep440, compare_pep440> scheme("pep440");
  return scheme;
}

}  // namespace patchparty::versions
