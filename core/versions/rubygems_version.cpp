#include "core/versions/rubygems_version.h"

#include <cstddef>
#include <string>
#include <vector>

#include "core/versions/parsed_scheme.h"

namespace patchparty::versions {
namespace {

struct Segment {
  bool numeric = false;
  std::string_view text;  // digits without leading zeros, or letters
};

constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
constexpr bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
constexpr bool is_alnum(char c) {
  return is_digit(c) || is_alpha(c);
}
// Ruby's \s.
constexpr bool is_space(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// [0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?
bool matches_pattern(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && is_digit(s[i])) ++i;
  if (i == 0) return false;
  while (i < s.size() && s[i] == '.') {
    const std::size_t start = ++i;
    while (i < s.size() && is_alnum(s[i])) ++i;
    if (i == start) return false;
  }
  if (i == s.size()) return true;
  if (s[i] != '-') return false;
  do {
    const std::size_t start = ++i;
    while (i < s.size() && (is_alnum(s[i]) || s[i] == '-')) ++i;
    if (i == start) return false;
  } while (i < s.size() && s[i] == '.');
  return i == s.size();
}

const std::string_view kPre = "pre";

// Gem::Version turns every '-' into ".pre." before splitting into digit and letter runs.
std::vector<Segment> segments(std::string_view s) {
  std::vector<Segment> out;
  std::size_t i = 0;
  while (i < s.size()) {
    if (s[i] == '-') {
      out.push_back({false, kPre});
      ++i;
    } else if (is_digit(s[i])) {
      std::size_t start = i;
      while (i < s.size() && is_digit(s[i])) ++i;
      std::string_view d = s.substr(start, i - start);
      while (!d.empty() && d.front() == '0') d.remove_prefix(1);
      out.push_back({true, d});
    } else if (is_alpha(s[i])) {
      std::size_t start = i;
      while (i < s.size() && is_alpha(s[i])) ++i;
      out.push_back({false, s.substr(start, i - start)});
    } else {
      ++i;
    }
  }
  return out;
}

bool is_zero(const Segment& s) {
  return s.numeric && s.text.empty();
}

// The release part (before the first letters) and the pre-release part each lose their trailing
// zeros.
std::vector<Segment> canonical(std::vector<Segment> segs) {
  std::size_t first_string = 0;
  while (first_string < segs.size() && segs[first_string].numeric) ++first_string;
  std::vector<Segment> out;
  out.reserve(segs.size());
  std::size_t end = first_string;
  while (end > 0 && is_zero(segs[end - 1])) --end;
  out.insert(out.end(), segs.begin(), segs.begin() + static_cast<std::ptrdiff_t>(end));
  end = segs.size();
  while (end > first_string && is_zero(segs[end - 1])) --end;
  out.insert(out.end(), segs.begin() + static_cast<std::ptrdiff_t>(first_string),
             segs.begin() + static_cast<std::ptrdiff_t>(end));
  return out;
}

int sign(int r) {
  return r < 0 ? -1 : (r > 0 ? 1 : 0);
}

int compare_segment(const Segment& a, const Segment& b) {
  if (a.numeric != b.numeric) return a.numeric ? 1 : -1;
  if (a.numeric && a.text.size() != b.text.size()) return a.text.size() < b.text.size() ? -1 : 1;
  return sign(a.text.compare(b.text));
}

int gem_compare(std::string_view a, std::string_view b) {
  if (a == b) return 0;
  const std::vector<Segment> ca = canonical(segments(a)), cb = canonical(segments(b));
  static const Segment kZero{true, {}};
  for (std::size_t i = 0; i < ca.size() || i < cb.size(); ++i) {
    const Segment& l = i < ca.size() ? ca[i] : kZero;
    const Segment& r = i < cb.size() ? cb[i] : kZero;
    if (int c = compare_segment(l, r)) return c;
  }
  return 0;
}

constexpr std::size_t kMaxLength = 512;

// `out` is `v` without the white space Gem::Version ignores.
const char* check(std::string_view v, std::string_view& out) {
  if (v.size() > kMaxLength) return "longer than 512 characters";
  std::string_view t = trim(v);
  if (t.empty()) return "empty version";
  if (!matches_pattern(t)) return "not a Gem::Version (digits{.alnum}[-pre{.pre}])";
  out = t;
  return nullptr;
}

}  // namespace

const VersionScheme& rubygems_scheme() {
  static const CheckedScheme<std::string_view, check, gem_compare> scheme("rubygems");
  return scheme;
}

}  // namespace patchparty::versions
