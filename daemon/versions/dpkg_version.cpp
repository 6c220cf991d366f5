#include "daemon/versions/dpkg_version.h"

#include <array>
#include <climits>
#include <cstddef>
#include <cstdint>
#include <string>

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

// Alternating non-digit and digit runs; digit runs compare as numbers of any length.
int compare_part(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  const std::size_t na = a.size(), nb = b.size();
  while (i < na || j < nb) {
    while ((i < na && !is_digit(a[i])) || (j < nb && !is_digit(b[j]))) {
      int wa = weight(a, i), wb = weight(b, j);
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
const char* parse(std::string_view s, DpkgVersion& out) {
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

std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

tl::unexpected<Error> invalid(std::string_view version, const char* reason) {
  return fail(Errc::invalid_argument, "dpkg version '" + printable(version) + "': " + reason);
}

class DpkgScheme final : public VersionScheme {
 public:
  std::string_view name() const override { return "dpkg"; }

  Result<void> validate(std::string_view version) const override {
    DpkgVersion parsed;
    if (const char* reason = parse(version, parsed)) return invalid(version, reason);
    return {};
  }

  Result<int> compare(std::string_view a, std::string_view b) const override {
    DpkgVersion va, vb;
    if (const char* reason = parse(a, va)) return invalid(a, reason);
    if (const char* reason = parse(b, vb)) return invalid(b, reason);
    if (va.epoch != vb.epoch) return va.epoch < vb.epoch ? -1 : 1;
    if (int r = compare_part(va.upstream, vb.upstream)) return r;
    return compare_part(va.revision, vb.revision);
  }
};

}  // namespace

const VersionScheme& dpkg_scheme() {
  static const DpkgScheme scheme;
  return scheme;
}

}  // namespace patchparty::versions
