#include "daemon/versions/rpm_version.h"

#include <cstddef>
#include <cstring>
#include <string>

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

// rpmvercmp: runs of digits (numbers of any length) or letters, separators skipped; '~' sorts
// before everything including the end, '^' after the end but before anything else.
int rpmvercmp(std::string_view a, std::string_view b) {
  if (a == b) return 0;
  std::size_t i = 0, j = 0;
  const std::size_t na = a.size(), nb = b.size();
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

    const std::size_t sa = i, sb = j;
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

    std::string_view sega = a.substr(sa, i - sa), segb = b.substr(sb, j - sb);
    if (numeric) {
      while (sega.size() > 1 && sega.front() == '0') sega.remove_prefix(1);
      while (segb.size() > 1 && segb.front() == '0') segb.remove_prefix(1);
      if (sega.size() != segb.size()) return sega.size() < segb.size() ? -1 : 1;
    }
    const std::size_t n = sega.size() < segb.size() ? sega.size() : segb.size();
    if (int r = std::memcmp(sega.data(), segb.data(), n)) return r < 0 ? -1 : 1;
    if (sega.size() != segb.size()) return sega.size() < segb.size() ? -1 : 1;
  }
  if (i == na && j == nb) return 0;
  return i == na ? -1 : 1;
}

const char* parse(std::string_view s, Evr& out) {
  if (s.empty()) return "empty version";
  std::size_t hyphen = std::string_view::npos;
  for (std::size_t k = 0; k < s.size(); ++k) {
    const unsigned char c = static_cast<unsigned char>(s[k]);
    if (c <= 0x20 || c == 0x7f) return "white space or control character";
    if (c == '-') hyphen = k;
  }
  std::size_t digits = 0;
  while (digits < s.size() && is_digit(s[digits])) ++digits;
  std::size_t start = 0;
  out.epoch = "0";
  if (digits < s.size() && s[digits] == ':') {
    if (digits > 0) out.epoch = s.substr(0, digits);
    start = digits + 1;
  }
  if (hyphen != std::string_view::npos && hyphen >= start) {
    out.version = s.substr(start, hyphen - start);
    out.release = s.substr(hyphen + 1);
    out.has_release = true;
  } else {
    out.version = s.substr(start);
    out.release = {};
    out.has_release = false;
  }
  if (out.version.empty()) return "empty version part";
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
  return fail(Errc::invalid_argument, "rpm version '" + printable(version) + "': " + reason);
}

class RpmScheme final : public VersionScheme {
 public:
  std::string_view name() const override { return "rpm"; }

  Result<void> validate(std::string_view version) const override {
    Evr parsed;
    if (const char* reason = parse(version, parsed)) return invalid(version, reason);
    return {};
  }

  Result<int> compare(std::string_view a, std::string_view b) const override {
    Evr ea, eb;
    if (const char* reason = parse(a, ea)) return invalid(a, reason);
    if (const char* reason = parse(b, eb)) return invalid(b, reason);
    if (int r = rpmvercmp(ea.epoch, eb.epoch)) return r;
    if (int r = rpmvercmp(ea.version, eb.version)) return r;
    if (ea.has_release != eb.has_release) return ea.has_release ? 1 : -1;
    return rpmvercmp(ea.release, eb.release);
  }
};

}  // namespace

const VersionScheme& rpm_scheme() {
  static const RpmScheme scheme;
  return scheme;
}

}  // namespace patchparty::versions
