#include "core/versions/rpm_version.h"

#include <algorithm>
#include <bit>
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

struct Evr {
  std::string_view epoch;  // digits, never empty: "0" stands in for a missing one
  std::string_view version;
  std::string_view release;
  bool has_release = false;
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
// Anything else, apart from '~' and '^', only separates segments.
constexpr bool is_separator(char c) {
  return !is_alnum(c) && c != '~' && c != '^';
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

// rpmvercmp: runs of digits (numbers of any length) or letters, separators skipped; '~' sorts
// before everything including the end, '^' after the end but before anything else.
int rpmvercmp(std::string_view a, std::string_view b) {
  const std::size_t na = a.size(), nb = b.size();
  // Identical text compares equal segment by segment, so start where the two first differ,
  // backed up to the start of the run of letters or digits there: rpm's walk reaches that point
  // at the top of its loop.
  std::size_t i = common_prefix(a, b);
  if (i == na && i == nb) return 0;
  if (i > 0 && is_digit(a[i - 1])) {
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
    } else {
      i = start;
    }
  } else {
    while (i > 0 && is_alpha(a[i - 1])) --i;
  }
  std::size_t j = i;
  while (i < na || j < nb) {
    while (i < na && is_separator(a[i])) ++i;
    while (j < nb && is_separator(b[j])) ++j;

    const bool ta = i < na && a[i] == '~', tb = j < nb && b[j] == '~';
    if (ta || tb) {
      if (!ta) return 1;
      if (!tb) return -1;
      ++i;
      ++j;
      continue;
    }
    const bool ca = i < na && a[i] == '^', cb = j < nb && b[j] == '^';
    if (ca || cb) {
      if (i == na) return -1;
      if (j == nb) return 1;
      if (!ca) return 1;
      if (!cb) return -1;
      ++i;
      ++j;
      continue;
    }
    if (i == na || j == nb) break;

    std::size_t sa = i, sb = j;
    const bool numeric = is_digit(a[i]);
    if (numeric) {
      while (i < na && is_digit(a[i])) ++i;
      while (j < nb && is_digit(b[j])) ++j;
    } else {
      while (i < na && is_alpha(a[i])) ++i;
      while (j < nb && is_alpha(b[j])) ++j;
    }
    // A segment of the other kind on b's side: numbers are newer than letters.
    if (j == sb) return numeric ? 1 : -1;

    if (numeric) {
      while (sa < i && a[sa] == '0') ++sa;
      while (sb < j && b[sb] == '0') ++sb;
      if (i - sa != j - sb) return i - sa < j - sb ? -1 : 1;
    }
    const std::size_t la = i - sa, lb = j - sb;
    if (int r = std::memcmp(a.data() + sa, b.data() + sb, std::min(la, lb))) return r < 0 ? -1 : 1;
    if (la != lb) return la < lb ? -1 : 1;
  }
  if (i == na && j == nb) return 0;
  return i == na ? -1 : 1;
}

// One pass, sixteen or eight bytes at a time: is any byte white space, a control character or DEL,
// where is the first ':' and the last '-'.
struct Shape {
  bool bad = false;
  std::size_t colon = std::string_view::npos;
  std::size_t hyphen = std::string_view::npos;
};

constexpr bool is_bad(unsigned char c) {
  return c <= 0x20 || c == 0x7f;
}

Shape scan(std::string_view s) {
  Shape r;
  const std::size_t n = s.size();
#if defined(__SSE2__)
  if (n >= 16) {
    const __m128i space = _mm_set1_epi8(' '), del = _mm_set1_epi8(0x7f),
                  hyphen = _mm_set1_epi8('-'), colon = _mm_set1_epi8(':');
    unsigned bad = 0;
    auto chunk = [&](std::size_t i) {
      const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
      const __m128i low = _mm_cmpeq_epi8(_mm_min_epu8(x, space), x);
      bad |= static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(low, _mm_cmpeq_epi8(x, del))));
      const unsigned hyphens = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, hyphen)));
      if (hyphens != 0) r.hyphen = i + static_cast<std::size_t>(31 - std::countl_zero(hyphens));
      const unsigned colons = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, colon)));
      if (colons != 0 && r.colon == std::string_view::npos)
        r.colon = i + static_cast<std::size_t>(std::countr_zero(colons));
    };
    std::size_t i = 0;
    for (; i + 16 <= n; i += 16) chunk(i);
    if (i < n) chunk(n - 16);  // the last, overlapping chunk
    r.bad = bad != 0;
    return r;
  }
#endif
  if (n >= 8 && std::endian::native == std::endian::little) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull,
                            kLow7 = 0x7f7f7f7f7f7f7f7full;
    // 0x80 in exactly the bytes of y that are zero.
    auto zero_bytes = [](std::uint64_t y) { return ~(((y & kLow7) + kLow7) | y | kLow7); };
    std::uint64_t bad = 0;
    auto word = [&](std::size_t i) {
      std::uint64_t x;
      std::memcpy(&x, s.data() + i, 8);
      bad |= ((x - kOnes * 0x21) & ~x & kHigh) | zero_bytes(x ^ (kOnes * 0x7f));
      const std::uint64_t hyphens = zero_bytes(x ^ (kOnes * '-'));
      if (hyphens != 0) r.hyphen = i + static_cast<std::size_t>(63 - std::countl_zero(hyphens)) / 8;
      const std::uint64_t colons = zero_bytes(x ^ (kOnes * ':'));
      if (colons != 0 && r.colon == std::string_view::npos)
        r.colon = i + static_cast<std::size_t>(std::countr_zero(colons)) / 8;
    };
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) word(i);
    if (i < n) word(n - 8);
    r.bad = bad != 0;
    return r;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    r.bad |= is_bad(c);
    if (c == '-') r.hyphen = i;
    if (c == ':' && r.colon == std::string_view::npos) r.colon = i;
  }
  return r;
}

const char* parse(std::string_view s, Evr& out) {
  if (s.empty()) return "empty version";
  const Shape shape = scan(s);
  if (shape.bad) return "white space or control character";
  // rpm takes an all-digit prefix ending in ':' as the epoch; "" stands for 0.
  std::size_t start = 0;
  out.epoch = "0";
  if (shape.colon != std::string_view::npos) {
    std::size_t digits = 0;
    while (digits < shape.colon && is_digit(s[digits])) ++digits;
    if (digits == shape.colon) {
      if (digits > 0) out.epoch = s.substr(0, digits);
      start = digits + 1;
    }
  }
  // The last '-' cannot lie in an all-digit epoch, so it always ends the version.
  if (shape.hyphen != std::string_view::npos) {
    out.version = s.substr(start, shape.hyphen - start);
    out.release = s.substr(shape.hyphen + 1);
    out.has_release = true;
  } else {
    out.version = s.substr(start);
    out.release = {};
    out.has_release = false;
  }
  if (out.version.empty()) return "empty version part";
  return nullptr;
}

int compare_evr(const Evr& ea, const Evr& eb) {
  if (int r = rpmvercmp(ea.epoch, eb.epoch)) return r;
  if (int r = rpmvercmp(ea.version, eb.version)) return r;
  if (ea.has_release != eb.has_release) return ea.has_release ? 1 : -1;
  return rpmvercmp(ea.release, eb.release);
}

}  // namespace

const VersionScheme& rpm_scheme() {
  static const CheckedScheme<Evr, parse, compare_evr> scheme("rpm");
  return scheme;
}

}  // namespace patchparty::versions
