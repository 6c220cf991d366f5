#include "core/model/purl.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <initializer_list>

namespace patchparty {

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

// Ecosystems of distributions that ship rpm and apk packages, for packages an SBOM reported
// (origin "cyclonedx", "spdx") rather than a host database.
constexpr std::array<std::string_view, 8> kRpmEcosystems = {
    "Red Hat", "AlmaLinux", "Rocky Linux", "openSUSE", "SUSE", "Mageia", "Photon OS", "Fedora"};
constexpr std::array<std::string_view, 3> kApkEcosystems = {"Alpine", "Wolfi", "Chainguard"};

template <std::size_t N>
bool in_family(std::string_view eco, const std::array<std::string_view, N>& families) {
  return std::any_of(families.begin(), families.end(), [eco](std::string_view f) {
    return eco == f || (starts_with(eco, f) && eco.size() > f.size() && eco[f.size()] == ':');
  });
}

bool type_fits(std::string_view type, const Package& p) {
  const std::string_view eco = p.ecosystem;
  if (type == "deb")
    return p.origin == "dpkg" || starts_with(eco, "Debian") || starts_with(eco, "Ubuntu");
  if (type == "rpm") return p.origin == "rpm" || in_family(eco, kRpmEcosystems);
  if (type == "apk") return p.origin == "apk" || in_family(eco, kApkEcosystems);
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

// The package name an application purl spells, as its ecosystem writes it: npm "@scope/name"
// (a scope written without its '@' gets one), composer "vendor/name", maven "group:artifact",
// golang the module path; the other types have no namespace.
std::string app_name(const Purl& purl) {
  const std::string& t = purl.type;
  const std::string& ns = purl.name_space;
  if (ns.empty()) return purl.name;
  if (t == "npm") return (ns[0] == '@' ? "" : "@") + ns + "/" + purl.name;
  if (t == "maven") return ns + ":" + purl.name;
  return ns + "/" + purl.name;
}

// Go versions as OSV spells them: without the tag's "v" ("v1.2.3+incompatible" ->
// "1.2.3+incompatible"), and the toolchain's "go1.21.3" as "1.21.3".
std::string go_version(std::string_view name, std::string_view v) {
  if (name == "stdlib" && v.size() > 2 && starts_with(v, "go") && v[2] >= '0' && v[2] <= '9')
    v.remove_prefix(2);
  return std::string(without_v(v));
}

bool name_fits(const Purl& purl, const Package& p) {
  const std::string& t = purl.type;
  if (is_os_type(t)) return p.name == purl.name || p.source_name == purl.name;
  if (t == "composer" || t == "nuget") return lower(p.name) == lower(app_name(purl));
  if (t == "pypi") return pep503(p.name) == pep503(purl.name);
  return p.name == app_name(purl);  // npm, maven, golang, gem, cargo
}

// "1:3.0.7-27.el9" -> "3.0.7-27.el9".
std::string_view without_epoch(std::string_view v) {
  const auto colon = v.find(':');
  if (colon == std::string_view::npos || colon == 0) return v;
  for (char c : v.substr(0, colon))
    if (c < '0' || c > '9') return v;
  return v.substr(colon + 1);
}

bool version_fits(const Purl& purl, const Package& p) {
  if (purl.version.empty()) return true;
  if (purl.type == "rpm") {
    // The spec puts the epoch in a qualifier; rpm databases are read with it in the version.
    // A purl without one names the version-release whatever the epoch: the spec does not need
    // it for identification.
    const std::string_view epoch = purl.qualifier("epoch");
    const bool bare = epoch.empty() && purl.version.find(':') == std::string::npos;
    const std::string want = epoch.empty() ? purl.version : std::string(epoch) + ":" + purl.version;
    auto same = [&](std::string_view v) {
      return !v.empty() && (v == want || (bare && without_epoch(v) == want));
    };
    return same(p.version) || same(p.source_version);
  }
  if (is_os_type(purl.type))
    return p.version == purl.version ||
           (!p.source_version.empty() && p.source_version == purl.version);
  if (purl.type == "composer") return without_v(p.version) == without_v(purl.version);
  if (purl.type == "golang")
    return without_v(p.version) == go_version(app_name(purl), purl.version);
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

namespace {

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Names, versions and architectures reach metric labels, reports and command lines: printable
// ASCII without spaces, as every reader promises.
bool is_word(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

// "N" or "N.M..." with only digits between the dots.
bool is_release(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  std::size_t start = 0;
  while (start <= s.size()) {
    const auto dot = s.find('.', start);
    if (!is_digits(s.substr(start, dot == std::string_view::npos ? s.npos : dot - start)))
      return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
  return true;
}

// A distro qualifier as its writers spell it: "debian-12", "rhel-9.3", "opensuse-leap-15.5"
// (the id before the first '-' that starts a number), "debian-bookworm" and
// "opensuse-tumbleweed" (before the last '-'), or a bare "12", "3.19.1", "bookworm", "debian".
struct Distro {
  std::string id;       // "" when only the release is written
  std::string release;  // number or code name; "" when only the id is written
};

Distro split_distro(std::string_view text, std::initializer_list<std::string_view> ids) {
  const std::string d = lower(text);
  for (std::size_t i = 0; i + 1 < d.size(); ++i)
    if (d[i] == '-' && d[i + 1] >= '0' && d[i + 1] <= '9') return {d.substr(0, i), d.substr(i + 1)};
  if (!d.empty() && d[0] >= '0' && d[0] <= '9') return {"", d};
  for (std::string_view id : ids)
    if (d == id) return {d, ""};
  if (const auto dash = d.rfind('-'); dash != std::string::npos)
    return {d.substr(0, dash), d.substr(dash + 1)};
  return {"", d};
}

struct CodeName {
  std::string_view name;
  std::string_view release;
};

constexpr std::array<CodeName, 7> kDebianReleases{{{"jessie", "8"},
                                                   {"stretch", "9"},
                                                   {"buster", "10"},
                                                   {"bullseye", "11"},
                                                   {"bookworm", "12"},
                                                   {"trixie", "13"},
                                                   {"forky", "14"}}};

constexpr std::array<CodeName, 13> kUbuntuReleases{{{"trusty", "14.04"},
                                                    {"xenial", "16.04"},
                                                    {"bionic", "18.04"},
                                                    {"focal", "20.04"},
                                                    {"groovy", "20.10"},
                                                    {"hirsute", "21.04"},
                                                    {"impish", "21.10"},
                                                    {"jammy", "22.04"},
                                                    {"kinetic", "22.10"},
                                                    {"lunar", "23.04"},
                                                    {"mantic", "23.10"},
                                                    {"noble", "24.04"},
                                                    {"oracular", "24.10"}}};

template <std::size_t N>
std::string_view release_of(std::string_view code_name, const std::array<CodeName, N>& table) {
  for (const auto& c : table)
    if (c.name == code_name) return c.release;
  return {};
}

// Input quoted in a reason: no control bytes, and short, however long the input.
std::string quoted(std::string_view s) {
  constexpr std::size_t kMax = 60;
  std::string out = "'";
  for (char c : s.substr(0, kMax))
    out += static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c;
  return out + (s.size() > kMax ? "...'" : "'");
}

using Ecosystem = std::optional<std::string>;

Ecosystem no_ecosystem(std::string& why, std::string message) {
  why = std::move(message);
  return std::nullopt;
}

bool id_fits(const Distro& d, std::initializer_list<std::string_view> ids) {
  return d.id.empty() || std::find(ids.begin(), ids.end(), d.id) != ids.end();
}

Ecosystem debian_ecosystem(std::string_view distro, std::string& why) {
  const Distro d = split_distro(distro, {"debian"});
  if (!id_fits(d, {"debian"}))
    return no_ecosystem(why, "distro " + quoted(distro) + " is not a Debian release");
  // Testing and sid, like a host whose os-release has no VERSION_ID: every Debian advisory
  // applies, matched by version.
  if (d.release.empty() || d.release == "sid" || d.release == "unstable" || d.release == "testing")
    return std::string("Debian");
  std::string_view release = d.release;
  if (auto named = release_of(release, kDebianReleases); !named.empty()) release = named;
  release = release.substr(0, release.find('.'));  // "12.5": OSV scopes Debian by major
  if (!is_digits(release))
    return no_ecosystem(why, "distro " + quoted(distro) + " names no Debian release");
  return "Debian:" + std::string(release);
}

Ecosystem ubuntu_ecosystem(std::string_view distro, std::string& why) {
  const Distro d = split_distro(distro, {"ubuntu"});
  std::string release = d.release;
  if (auto named = release_of(release, kUbuntuReleases); !named.empty()) release = named;
  // "22.04.3": the point release is the same ecosystem.
  if (const auto first = release.find('.'); first != std::string::npos)
    release = release.substr(0, release.find('.', first + 1));
  const auto dot = release.find('.');
  if (!id_fits(d, {"ubuntu"}) || dot != 2 || release.size() != 5 ||
      !is_digits(std::string_view(release).substr(0, 2)) ||
      !is_digits(std::string_view(release).substr(3)))
    return no_ecosystem(why, "distro " + quoted(distro) + " names no Ubuntu release");
  // Every LTS so far is an even year's April release; OSV requires ":LTS" on those.
  const bool lts = release.substr(3) == "04" && (release[1] - '0') % 2 == 0;
  return "Ubuntu:" + release + (lts ? ":LTS" : "");
}

Ecosystem alpine_ecosystem(std::string_view distro, std::string& why) {
  const Distro d = split_distro(distro, {"alpine"});
  const std::string& r = d.release;
  if (r == "edge" || r.find("_alpha") != std::string::npos)
    return no_ecosystem(why, "distro " + quoted(distro) +
                                 " is Alpine edge, which has no "
                                 "OSV ecosystem");
  const auto first = r.find('.');
  const auto second = first == std::string::npos ? r.npos : r.find('.', first + 1);
  const std::string major_minor = r.substr(0, second);
  if (!id_fits(d, {"alpine"}) || first == std::string::npos || !is_release(r))
    return no_ecosystem(why, "distro " + quoted(distro) + " names no Alpine release");
  return "Alpine:v" + major_minor;
}

// Red Hat and its rebuilds are scoped by major release.
Ecosystem rpm_by_major(std::string_view distro, std::initializer_list<std::string_view> ids,
                       std::string_view prefix, std::string& why) {
  const Distro d = split_distro(distro, ids);
  if (!id_fits(d, ids) || !is_release(d.release))
    return no_ecosystem(
        why, "distro " + quoted(distro) + " names no " + std::string(*ids.begin()) + " release");
  return std::string(prefix) + d.release.substr(0, d.release.find('.'));
}

Ecosystem rpm_by_release(std::string_view distro, std::string_view id, std::string_view prefix,
                         std::string& why) {
  const Distro d = split_distro(distro, {id});
  if (!id_fits(d, {id}) || !is_release(d.release))
    return no_ecosystem(why,
                        "distro " + quoted(distro) + " names no " + std::string(id) + " release");
  return std::string(prefix) + d.release;
}

Ecosystem opensuse_ecosystem(std::string_view distro, std::string& why) {
  const Distro d = split_distro(distro, {"opensuse"});
  if ((d.id == "opensuse" || d.id.empty()) && d.release == "tumbleweed")
    return std::string("openSUSE:Tumbleweed");
  if ((d.id == "opensuse-leap" || d.id == "leap") && is_release(d.release))
    return "openSUSE:Leap " + d.release;
  return no_ecosystem(why, "distro " + quoted(distro) + " names no openSUSE release");
}

// The OSV ecosystem of an OS purl: family from the type and namespace, release from `distro`.
Ecosystem os_ecosystem(const Purl& purl, std::string& why) {
  const std::string ns = lower(purl.name_space);
  const std::string_view distro = purl.qualifier("distro");
  // Wolfi and Chainguard publish one rolling distribution each.
  if (purl.type == "apk" && ns == "wolfi") return std::string("Wolfi");
  if (purl.type == "apk" && ns == "chainguard") return std::string("Chainguard");
  const bool known = (purl.type == "deb" && (ns == "debian" || ns == "ubuntu")) ||
                     (purl.type == "apk" && ns == "alpine") ||
                     (purl.type == "rpm" && (ns == "redhat" || ns == "rhel" || ns == "almalinux" ||
                                             ns == "alma" || ns == "rocky" || ns == "rockylinux" ||
                                             ns == "opensuse" || ns == "mageia" || ns == "photon"));
  if (!known)
    return no_ecosystem(why, purl.type + " namespace " + quoted(purl.name_space) +
                                 ": no OSV ecosystem that patchparty matches");
  if (distro.empty())
    return no_ecosystem(
        why, "no distro qualifier, so the " + ns + " release whose advisories apply is unknown");
  if (ns == "debian") return debian_ecosystem(distro, why);
  if (ns == "ubuntu") return ubuntu_ecosystem(distro, why);
  if (ns == "alpine") return alpine_ecosystem(distro, why);
  if (ns == "redhat" || ns == "rhel")
    return rpm_by_major(distro, {"rhel", "redhat"}, "Red Hat:enterprise_linux:", why);
  if (ns == "almalinux" || ns == "alma")
    return rpm_by_major(distro, {"almalinux", "alma"}, "AlmaLinux:", why);
  if (ns == "rocky" || ns == "rockylinux")
    return rpm_by_major(distro, {"rocky", "rockylinux"}, "Rocky Linux:", why);
  if (ns == "opensuse") return opensuse_ecosystem(distro, why);
  if (ns == "mageia") return rpm_by_release(distro, "mageia", "Mageia:", why);
  return rpm_by_release(distro, "photon", "Photon OS:", why);
}

std::optional<Package> refuse(std::string& why, std::string message) {
  why = std::move(message);
  return std::nullopt;
}

// The source package an OS purl names in `upstream` (Syft) or `source`.
bool read_source(const Purl& purl, Package& p, std::string& why) {
  std::string_view up = purl.qualifier("upstream");
  if (up.empty()) up = purl.qualifier("source");
  if (up.empty()) return true;
  std::string name(up), version = p.version;
  if (purl.type == "rpm") {
    for (std::string_view suffix : {std::string_view(".src.rpm"), std::string_view(".nosrc.rpm")}) {
      if (up.size() <= suffix.size() || !up.ends_with(suffix)) continue;
      const std::string_view nvr = up.substr(0, up.size() - suffix.size());
      const auto release_dash = nvr.rfind('-');
      const auto version_dash = release_dash == std::string_view::npos || release_dash == 0
                                    ? std::string_view::npos
                                    : nvr.rfind('-', release_dash - 1);
      if (version_dash == std::string_view::npos || version_dash == 0) {
        why = "upstream " + quoted(up) + " is not a source rpm file name";
        return false;
      }
      name = nvr.substr(0, version_dash);
      const std::string_view epoch = purl.qualifier("epoch");
      version = (epoch.empty() ? std::string() : std::string(epoch) + ":") +
                std::string(nvr.substr(version_dash + 1));
      break;
    }
  }
  if (name == up) {
    if (const auto at = up.find('@'); at != std::string_view::npos) {
      name = up.substr(0, at);
      version = up.substr(at + 1);
    }
  }
  if (!is_word(name) || !is_word(version)) {
    why = "upstream " + quoted(up) + " is not a package name (and version)";
    return false;
  }
  p.source_name = std::move(name);
  p.source_version = std::move(version);
  return true;
}

std::string app_ecosystem(std::string_view type) {
  if (type == "npm") return "npm";
  if (type == "composer") return "Packagist";
  if (type == "pypi") return "PyPI";
  if (type == "golang") return "Go";
  if (type == "cargo") return "crates.io";
  if (type == "gem") return "RubyGems";
  if (type == "maven") return "Maven";
  if (type == "nuget") return "NuGet";
  return {};
}

// Percent-encodes all but the purl spec's permitted characters (and ':', which it leaves).
std::string encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '.' || c == '-' || c == '_' || c == '~' || c == ':') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

// Each '/'-separated segment on its own, so the separators stay.
std::string encode_path(std::string_view s) {
  std::string out;
  std::size_t start = 0;
  for (;;) {
    const auto slash = s.find('/', start);
    out += encode(s.substr(start, slash == std::string_view::npos ? s.npos : slash - start));
    if (slash == std::string_view::npos) return out;
    out += '/';
    start = slash + 1;
  }
}

struct PurlParts {
  std::string type, name_space, name, version;
  std::vector<std::pair<std::string, std::string>> qualifiers;
};

std::string format(PurlParts parts) {
  std::string out = "pkg:" + parts.type + "/";
  if (!parts.name_space.empty()) out += encode_path(parts.name_space) + "/";
  out += encode(parts.name);
  if (!parts.version.empty()) out += "@" + encode(parts.version);
  std::sort(parts.qualifiers.begin(), parts.qualifiers.end());
  char sep = '?';
  for (const auto& [key, value] : parts.qualifiers) {
    if (value.empty()) continue;
    out += sep + key + "=" + encode(value);
    sep = '&';
  }
  return out;
}

// "Ubuntu:Pro:22.04:LTS" -> "22.04": the first ':'-separated part that starts with a digit.
std::string first_release(std::string_view eco) {
  std::size_t start = 0;
  while (start < eco.size()) {
    const auto colon = eco.find(':', start);
    const std::string_view part =
        eco.substr(start, colon == std::string_view::npos ? eco.npos : colon - start);
    if (!part.empty() && part[0] >= '0' && part[0] <= '9') return std::string(part);
    if (colon == std::string_view::npos) break;
    start = colon + 1;
  }
  return {};
}

// Vendor namespace and distro qualifier of an OS package's ecosystem.
std::pair<std::string, std::string> os_vendor(std::string_view type, std::string_view eco) {
  const std::string release = first_release(eco);
  auto with = [&](std::string id) { return release.empty() ? std::string() : id + "-" + release; };
  if (starts_with(eco, "Debian")) return {"debian", eco == "Debian" ? "debian" : with("debian")};
  if (starts_with(eco, "Ubuntu")) return {"ubuntu", with("ubuntu")};
  if (starts_with(eco, "Alpine:v")) return {"alpine", "alpine-" + std::string(eco.substr(8))};
  if (eco == "Wolfi") return {"wolfi", ""};
  if (eco == "Chainguard") return {"chainguard", ""};
  if (starts_with(eco, "Red Hat")) return {"redhat", with("rhel")};
  if (starts_with(eco, "AlmaLinux")) return {"almalinux", with("almalinux")};
  if (starts_with(eco, "Rocky Linux")) return {"rocky", with("rocky")};
  if (eco == "openSUSE:Tumbleweed") return {"opensuse", "opensuse-tumbleweed"};
  if (starts_with(eco, "openSUSE:Leap "))
    return {"opensuse", "opensuse-leap-" + std::string(eco.substr(14))};
  if (starts_with(eco, "Mageia")) return {"mageia", with("mageia")};
  if (starts_with(eco, "Photon OS")) return {"photon", with("photon")};
  // Whatever the host was configured as: its first word, lowercased, names the vendor.
  std::string vendor = lower(eco.substr(0, eco.find_first_of(": ")));
  if (vendor.empty()) vendor = std::string(type);
  return {vendor, ""};
}

std::string os_type(const Package& p) {
  const std::string_view eco = p.ecosystem;
  if (p.origin == "dpkg" || starts_with(eco, "Debian") || starts_with(eco, "Ubuntu")) return "deb";
  if (p.origin == "rpm" || in_family(eco, kRpmEcosystems)) return "rpm";
  if (p.origin == "apk" || in_family(eco, kApkEcosystems)) return "apk";
  return {};
}

std::string os_purl(const std::string& type, const Package& p) {
  PurlParts parts;
  parts.type = type;
  auto [vendor, distro] = os_vendor(type, p.ecosystem);
  parts.name_space = std::move(vendor);
  parts.name = p.name;
  parts.version = p.version;
  parts.qualifiers = {{"arch", p.arch}, {"distro", distro}};
  std::string epoch;
  if (type == "rpm") {
    if (const auto colon = p.version.find(':');
        colon != std::string::npos && is_digits(std::string_view(p.version).substr(0, colon))) {
      epoch = p.version.substr(0, colon);
      parts.version = p.version.substr(colon + 1);
      parts.qualifiers.emplace_back("epoch", epoch);
    }
  }
  const bool same_name = p.source_name.empty() || p.source_name == p.name;
  const bool same_version = p.source_version.empty() || p.source_version == p.version;
  if (!same_name || !same_version) {
    const std::string src = p.source_name.empty() ? p.name : p.source_name;
    std::string upstream = src;
    std::string_view v = p.source_version.empty() ? p.version : p.source_version;
    if (!epoch.empty() && starts_with(v, epoch + ":")) v.remove_prefix(epoch.size() + 1);
    if (type == "rpm" && v.find('-') != std::string_view::npos &&
        v.find(':') == std::string_view::npos) {
      upstream = src + "-" + std::string(v) + ".src.rpm";  // as Syft writes it
    } else if (!same_version) {
      upstream = src + "@" + p.source_version;  // Syft's deb form
    }
    parts.qualifiers.emplace_back("upstream", upstream);
  }
  return format(std::move(parts));
}

}  // namespace

std::optional<Package> package_from_purl(const Purl& purl, std::string& why) {
  why.clear();
  if (purl.version.empty()) return refuse(why, "no version");
  Package p;
  const std::string& t = purl.type;
  p.version = purl.version;
  if (is_os_type(t)) {
    auto eco = os_ecosystem(purl, why);
    if (!eco) return std::nullopt;
    p.ecosystem = std::move(*eco);
    p.name = purl.name;
    if (t == "rpm") {
      const std::string_view epoch = purl.qualifier("epoch");
      if (!epoch.empty() && !is_digits(epoch))
        return refuse(why, "epoch " + quoted(epoch) + " is not a number");
      if (!epoch.empty()) p.version = std::string(epoch) + ":" + p.version;
    }
    const std::string_view arch = purl.qualifier("arch");
    if (!arch.empty() && !is_word(arch))
      return refuse(why, "arch is not printable ASCII without spaces");
    p.arch = std::string(arch);
  } else {
    p.ecosystem = app_ecosystem(t);
    if (p.ecosystem.empty())
      return refuse(why, "purl type " + quoted(t) + " names no ecosystem that patchparty matches");
    const bool namespaced = t == "npm" || t == "composer" || t == "maven" || t == "golang";
    if (!namespaced && !purl.name_space.empty())
      return refuse(why,
                    t + " purls have no namespace, and this one has " + quoted(purl.name_space));
    if ((t == "composer" || t == "maven") && purl.name_space.empty())
      return refuse(why, t == "maven" ? "maven purl without a group"
                                      : "composer purl without "
                                        "a vendor");
    p.name = app_name(purl);
    if (t == "golang") p.version = go_version(p.name, p.version);
  }
  if (!is_word(p.name)) return refuse(why, "name is not printable ASCII without spaces");
  if (!is_word(p.version)) return refuse(why, "version is not printable ASCII without spaces");
  p.source_name = p.name;
  p.source_version = p.version;
  if (is_os_type(t) && !read_source(purl, p, why)) return std::nullopt;
  return p;
}

std::optional<Package> package_from_purl(const Purl& purl) {
  std::string why;
  return package_from_purl(purl, why);
}

std::string purl_of(const Package& p) {
  if (const std::string type = os_type(p); !type.empty()) return os_purl(type, p);
  PurlParts parts;
  parts.name = p.name;
  parts.version = p.version;
  const std::string& eco = p.ecosystem;
  auto split = [&](char sep, bool last) {
    const auto at = last ? p.name.rfind(sep) : p.name.find(sep);
    if (at == std::string::npos || at == 0) return;
    parts.name_space = p.name.substr(0, at);
    parts.name = p.name.substr(at + 1);
  };
  if (eco == "npm") {
    parts.type = "npm";
    if (starts_with(p.name, "@")) split('/', false);
  } else if (eco == "Packagist") {
    parts.type = "composer";
    split('/', false);
    parts.name_space = lower(parts.name_space);
    parts.name = lower(parts.name);
  } else if (eco == "PyPI") {
    parts.type = "pypi";
    parts.name = lower(p.name);
    std::replace(parts.name.begin(), parts.name.end(), '_', '-');
  } else if (eco == "Go") {
    parts.type = "golang";
    split('/', true);
    // Go tags are "v1.2.3"; anything else ("master", a pseudo-name) is left as it is.
    if (!p.version.empty() && p.version[0] >= '0' && p.version[0] <= '9')
      parts.version = "v" + p.version;
  } else if (eco == "Maven") {
    parts.type = "maven";
    split(':', false);
  } else if (eco == "crates.io") {
    parts.type = "cargo";
  } else if (eco == "RubyGems") {
    parts.type = "gem";
  } else if (eco == "NuGet") {
    parts.type = "nuget";
  } else {
    parts.type = "generic";
  }
  return format(std::move(parts));
}

}  // namespace patchparty
