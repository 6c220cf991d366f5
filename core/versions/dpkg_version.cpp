#include "core/versions/dpkg_version.h"

#include <algorithm>
#include <array>
#include <bit>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/versions/parsed_scheme.h"

namespace patchparty::versions {
namespace {

struct DpkgVersion {
  int epoch = 0;
  std::string_view upstream;
  std::string_view revision;  // "" when absent: dpkg gives "" and "0" the same weight
};

constexpr bool is_blank(char c) {
  return c == ' ' || c == '\t';
}
constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
constexpr bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
// dpkg reads the epoch with strtol, which skips C-locale white space the blank trim left behind.
constexpr bool is_strtol_space(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

// Weight of a character in dpkg's non-digit runs: '~' before the end of the string (0), the end
// before letters, letters before everything else. dpkg computes it from a plain `char`, signed on
// the architectures Debian ships dpkg's reference builds for (amd64, i386), so bytes >= 0x80 weigh
// their unsigned value: after the letters and before the ASCII punctuation.
constexpr std::array<int, 256> make_order() {
  std::array<int, 256> order{};
  for (int c = 0; c < 256; ++c) {
    char ch = static_cast<char>(c);
    if (c == 0 || is_digit(ch))
      order[c] = 0;
    else if (is_alpha(ch))
      order[c] = c;
    else if (ch == '~')
      order[c] = -1;
    else if (c >= 0x80)
      order[c] = c;
    else
      order[c] = c + 256;
  }
  return order;
}
constexpr std::array<int, 256> kOrder = make_order();

int weight(std::string_view s, std::size_t i) {
  return i < s.size() ? kOrder[static_cast<unsigned char>(s[i])] : 0;
}

// Length of the common prefix, eight bytes at a time.
std::size_t common_prefix(std::string_view a, std::string_view b) {
  const std::size_t n = std::min(a.size(), b.size());
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t x, y;
    std::memcpy(&x, a.data() + i, 8);
    std::memcpy(&y, b.data() + i, 8);
    if (x != y) {
      if constexpr (std::endian::native == std::endian::little)
        return i + static_cast<std::size_t>(std::countr_zero(x ^ y)) / 8;
      break;
    }
  }
  if (i < n && n >= 8 && std::endian::native == std::endian::little) {
    // The last eight bytes, overlapping bytes already known equal.
    std::uint64_t x, y;
    std::memcpy(&x, a.data() + n - 8, 8);
    std::memcpy(&y, b.data() + n - 8, 8);
    return x == y ? n : n - 8 + static_cast<std::size_t>(std::countr_zero(x ^ y)) / 8;
  }
  while (i < n && a[i] == b[i]) ++i;
  return i;
}

// Alternating non-digit and digit runs; digit runs compare as numbers of any length.
int compare_part(std::string_view a, std::string_view b) {
  // Identical text compares equal run by run, so start where the two first differ.
  std::size_t i = common_prefix(a, b);
  const std::size_t na = a.size(), nb = b.size();
  std::size_t start = i;
  while (start > 0 && a[start - 1] == '0') --start;
  if (start > 0 && is_digit(a[start - 1])) {
    // Inside a number whose significant digits began in the common part: the number that goes
    // on longer is the larger, else the first differing digit decides.
    std::size_t ea = i, eb = i;
    while (ea < na && is_digit(a[ea])) ++ea;
    while (eb < nb && is_digit(b[eb])) ++eb;
    if (ea - i != eb - i) return ea - i < eb - i ? -1 : 1;
    if (ea > i) return a[i] < b[i] ? -1 : 1;
    // Both numbers end here, equal: dpkg's walk continues with a non-digit run at i.
  } else {
    // Otherwise back up to the start of the digit run (only zeros), where dpkg's walk is in the
    // same state as here.
    i = start;
  }
  std::size_t j = i;
  while (i < na || j < nb) {
    // Weight 0 is a digit or the end (a NUL never gets this far), so this walks the non-digit run.
    for (int wa = weight(a, i), wb = weight(b, j); wa != 0 || wb != 0;
         wa = weight(a, i), wb = weight(b, j)) {
      if (wa != wb) return wa < wb ? -1 : 1;
      // Equal weights here mean the same character on both sides, so neither index passes its end.
      ++i;
      ++j;
    }
    while (i < na && a[i] == '0') ++i;
    while (j < nb && b[j] == '0') ++j;
    int first_diff = 0;
    while (i < na && j < nb && is_digit(a[i]) && is_digit(b[j])) {
      if (first_diff == 0) first_diff = a[i] - b[j];
      ++i;
      ++j;
    }
    if (i < na && is_digit(a[i])) return 1;
    if (j < nb && is_digit(b[j])) return -1;
    if (first_diff != 0) return first_diff < 0 ? -1 : 1;
  }
  return 0;
}

// Splits and checks a version as dpkg's parseversion() does; returns dpkg's reason on a hard
// error, nullptr otherwise.
const char* parse_exactly(std::string_view s, DpkgVersion& out) {
  std::size_t begin = 0;
  while (begin < s.size() && is_blank(s[begin])) ++begin;
  if (begin == s.size()) return "version string is empty";

  std::size_t end = begin, colon = std::string_view::npos;
  for (; end < s.size() && !is_blank(s[end]); ++end) {
    if (s[end] == ':' && colon == std::string_view::npos) colon = end;
    // dpkg takes C strings, so a NUL can never reach it; here it would cut the version short.
    if (s[end] == '\0') return "version string contains a NUL byte";
  }
  for (std::size_t k = end; k < s.size(); ++k)
    if (!is_blank(s[k])) return "version string has embedded spaces";

  std::size_t rest = begin;
  out.epoch = 0;
  if (colon != std::string_view::npos) {
    std::size_t k = begin;
    while (k < colon && is_strtol_space(s[k])) ++k;
    bool negative = false;
    if (k < colon && (s[k] == '+' || s[k] == '-')) negative = s[k++] == '-';
    std::size_t digits = k;
    std::uint64_t value = 0;
    bool too_big = false;
    for (; k < colon && is_digit(s[k]); ++k) {
      if (!too_big) {
        value = value * 10 + static_cast<std::uint64_t>(s[k] - '0');
        too_big = value > static_cast<std::uint64_t>(INT_MAX);
      }
    }
    if (k == digits) return "epoch in version is empty";
    if (k != colon) return "epoch in version is not number";
    if (negative && (value != 0 || too_big)) return "epoch in version is negative";
    if (too_big) return "epoch in version is too big";
    if (colon + 1 == s.size()) return "nothing after colon in version number";
    out.epoch = static_cast<int>(value);
    rest = colon + 1;
  }

  std::string_view version = s.substr(rest, end > rest ? end - rest : 0);
  std::size_t hyphen = version.rfind('-');
  if (hyphen != std::string_view::npos) {
    out.revision = version.substr(hyphen + 1);
    if (out.revision.empty()) return "revision number is empty";
    version = version.substr(0, hyphen);
  } else {
    out.revision = {};
  }
  if (version.empty()) return "version number is empty";
  out.upstream = version;
  return nullptr;
}

// One pass over the string, eight bytes at a time (SWAR): is any byte <= ' ' (blank, NUL,
// control), where is the first ':' and the last '-'.
struct Shape {
  bool low = false;
  std::size_t colon = std::string_view::npos;
  std::size_t hyphen = std::string_view::npos;
};

constexpr std::uint64_t kOnes = 0x0101010101010101ull;
constexpr std::uint64_t kHigh = 0x8080808080808080ull;
constexpr std::uint64_t kLow7 = 0x7f7f7f7f7f7f7f7full;

// 0x80 in exactly the bytes of y that are zero (no borrow between bytes, unlike the short form).
constexpr std::uint64_t zero_bytes(std::uint64_t y) {
  return ~(((y & kLow7) + kLow7) | y | kLow7);
}

Shape scan(std::string_view s) {
  Shape r;
  const std::size_t n = s.size();
  if (n < 8 || std::endian::native != std::endian::little) {
    for (std::size_t i = 0; i < n; ++i) {
      const unsigned char c = static_cast<unsigned char>(s[i]);
      r.low |= c <= ' ';
      if (c == ':' && r.colon == std::string_view::npos) r.colon = i;
      if (c == '-') r.hyphen = i;
    }
    return r;
  }
#if defined(__SSE2__)
  if (n >= 16) {
    const __m128i space = _mm_set1_epi8(' '), colon = _mm_set1_epi8(':'),
                  hyphen = _mm_set1_epi8('-');
    unsigned low = 0;
    auto chunk = [&](std::size_t i) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
      low |= static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(x, space), x)));
      const unsigned colons = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, colon)));
      if (colons != 0 && r.colon == std::string_view::npos)
        r.colon = i + static_cast<std::size_t>(std::countr_zero(colons));
      const unsigned hyphens = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, hyphen)));
      if (hyphens != 0) r.hyphen = i + static_cast<std::size_t>(31 - std::countl_zero(hyphens));
    };
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) chunk(i);
    if (i < n) chunk(n - 16);  // the last, overlapping chunk
    r.low = low != 0;
    return r;
  }
#endif
  std::uint64_t low = 0;
  auto word = [&](std::size_t i) {
    std::uint64_t x;
    std::memcpy(&x, s.data() + i, 8);
    // "Has a byte below n" (n <= 0x80): exact as a yes/no answer; bytes >= 0x80 never count.
    low |= (x - kOnes * 0x21) & ~x & kHigh;
    const std::uint64_t colons = zero_bytes(x ^ (kOnes * ':'));
    if (colons != 0 && r.colon == std::string_view::npos)
      r.colon = i + static_cast<std::size_t>(std::countr_zero(colons)) / 8;
    const std::uint64_t hyphens = zero_bytes(x ^ (kOnes * '-'));
    if (hyphens != 0) r.hyphen = i + static_cast<std::size_t>(63 - std::countl_zero(hyphens)) / 8;
  };
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) word(i);
  if (i < n) word(n - 8);  // the last, overlapping word
  r.low = low != 0;
  return r;
}

// The common shape, "[digits:]upstream[-revision]" without blanks or control characters;
// anything else (errors included) goes through parse_exactly.
bool parse_fast(std::string_view s, DpkgVersion& out) {
  if (s.empty()) return false;
  const Shape shape = scan(s);
  if (shape.low) return false;

  std::size_t rest = 0;
  out.epoch = 0;
  if (shape.colon != std::string_view::npos) {
    const std::size_t c = shape.colon;
    if (c == 0 || c > 10 || c + 1 == s.size()) return false;  // empty, too big, nothing after
    std::uint64_t epoch = 0;
    for (std::size_t k = 0; k < c; ++k) {
      if (!is_digit(s[k])) return false;
      epoch = epoch * 10 + static_cast<std::uint64_t>(s[k] - '0');
    }
    if (epoch > static_cast<std::uint64_t>(INT_MAX)) return false;
    out.epoch = static_cast<int>(epoch);
    rest = c + 1;
  }
  if (shape.hyphen != std::string_view::npos && shape.hyphen >= rest) {
    const std::size_t h = shape.hyphen;
    if (h == rest || h + 1 == s.size()) return false;  // empty upstream or revision
    out.upstream = s.substr(rest, h - rest);
    out.revision = s.substr(h + 1);
  } else {
    out.upstream = s.substr(rest);
    out.revision = {};
  }
  return true;
}

const char* parse(std::string_view s, DpkgVersion& out) {
  return parse_fast(s, out) ? nullptr : parse_exactly(s, out);
}

int compare_versions(const DpkgVersion& va, const DpkgVersion& vb) {
  if (va.epoch != vb.epoch) return va.epoch < vb.epoch ? -1 : 1;
  if (int r = compare_part(va.upstream, vb.upstream)) return r;
  return compare_part(va.revision, vb.revision);
}

}  // namespace

const VersionScheme& dpkg_scheme() {
  static const CheckedScheme<DpkgVersion, parse, compare_versions> scheme("dpkg");
  return scheme;
}

}  // namespace patchparty::versions
