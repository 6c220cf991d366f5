#include "core/suppress/purl.h"

#include <algorithm>
#include <cctype>

namespace patchparty::suppress {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// PEP 503: runs of '-', '_' and '.' are one '-', case is ignored.
std::string pep503(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '-' || c == '_' || c == '.') {
      if (out.empty() || out.back() != '-') out += '-';
    } else {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

// Composer and Go tags are written with or without a leading "v" ("v4.4.12" in composer.lock,
// "4.4.12" in a purl); the two spellings name one release.
std::string_view without_v(std::string_view v) {
  if (v.size() > 1 && (v[0] == 'v' || v[0] == 'V') && v[1] >= '0' && v[1] <= '9')
    v.remove_prefix(1);
  return v;
}

bool is_os_type(std::string_view type) {
  return type == "deb" || type == "rpm" || type == "apk";
}

bool type_fits(std::string_view type, const Package& p) {
  const std::string_view eco = p.ecosystem;
  if (type == "deb")
    return p.origin == "dpkg" || starts_with(eco, "Debian") || starts_with(eco, "Ubuntu");
  if (type == "rpm") return p.origin == "rpm";
  if (type == "apk") return p.origin == "apk" || starts_with(eco, "Alpine");
  if (type == "npm") return eco == "npm";
  if (type == "composer") return eco == "Packagist";
  if (type == "pypi") return eco == "PyPI";
  if (type == "gem") return eco == "RubyGems";
  if (type == "maven") return eco == "Maven";
  if (type == "golang") return eco == "Go";
  if (type == "cargo") return eco == "crates.io";
  if (type == "nuget") return eco == "NuGet";
  return false;
}

bool name_fits(const Purl& purl, const Package& p) {
  const std::string& t = purl.type;
  auto joined = [&](char sep) {
    return purl.name_space.empty() ? purl.name : purl.name_space + sep + purl.name;
  };
  if (is_os_type(t)) return p.name == purl.name || p.source_name == purl.name;
  if (t == "npm") return p.name == joined('/');
  if (t == "composer") return lower(p.name) == lower(joined('/'));
  if (t == "pypi") return pep503(p.name) == pep503(purl.name);
  if (t == "maven") return p.name == joined(':');
  if (t == "golang") return p.name == joined('/');
  if (t == "nuget") return lower(p.name) == lower(purl.name);
  return p.name == purl.name;  // gem, cargo
}

bool version_fits(const Purl& purl, const Package& p) {
  if (purl.version.empty()) return true;
  if (is_os_type(purl.type))
    return p.version == purl.version ||
           (!p.source_version.empty() && p.source_version == purl.version);
  if (purl.type == "composer" || purl.type == "golang")
    return without_v(p.version) == without_v(purl.version);
  return p.version == purl.version;
}

}  // namespace

std::string_view Purl::qualifier(std::string_view key) const {
  for (const auto& [k, v] : qualifiers)
    if (k == key) return v;
  return {};
}

std::optional<Purl> parse_purl(std::string_view text) {
  Purl p;
  p.text = std::string(text);
  if (text.size() < 4 || lower(text.substr(0, 4)) != "pkg:") return std::nullopt;
  std::string_view rest = text.substr(4);
  if (auto hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  std::string_view query;
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  while (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos || slash == 0) return std::nullopt;
  p.type = lower(rest.substr(0, slash));
  rest = rest.substr(slash + 1);

  // The version follows the last '@' of the last segment, so an unencoded npm scope
  // ("@babel/core") stays part of the namespace.
  const auto last_slash = rest.rfind('/');
  const std::size_t name_start = last_slash == std::string_view::npos ? 0 : last_slash + 1;
  if (auto at = rest.find('@', name_start); at != std::string_view::npos) {
    auto v = decode(rest.substr(at + 1));
    if (!v) return std::nullopt;
    p.version = std::move(*v);
    rest = rest.substr(0, at);
  }
  auto name = decode(rest.substr(name_start));
  if (!name || name->empty()) return std::nullopt;
  p.name = std::move(*name);
  if (name_start > 0) {
    auto ns = decode(rest.substr(0, name_start - 1));
    if (!ns) return std::nullopt;
    p.name_space = std::move(*ns);
  }

  while (!query.empty()) {
    const auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) return std::nullopt;
    auto value = decode(pair.substr(eq + 1));
    if (!value) return std::nullopt;
    p.qualifiers.emplace_back(lower(pair.substr(0, eq)), std::move(*value));
  }
  return p;
}

bool purl_matches(const Purl& purl, const Package& package) {
  if (!type_fits(purl.type, package) || !name_fits(purl, package) || !version_fits(purl, package))
    return false;
  const std::string_view arch = purl.qualifier("arch");
  return arch.empty() || package.arch.empty() || arch == package.arch;
}

}  // namespace patchparty::suppress
