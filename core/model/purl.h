// Package URLs (https://github.com/package-url/purl-spec), as OpenVEX names its products:
// pkg:deb/debian/openssl@3.0.11-1~deb12u1?arch=amd64, pkg:npm/%40babel/core@7.22.0.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model/model.h"

namespace patchparty {

struct Purl {
  std::string type;        // lower case: "deb", "npm", "composer"
  std::string name_space;  // percent-decoded; "" when absent ("debian", "@babel", "symfony")
  std::string name;        // percent-decoded
  std::string version;     // percent-decoded; "" = every version
  std::vector<std::pair<std::string, std::string>> qualifiers;  // keys lower case, values decoded
  std::string text;                                             // as written, for messages

  std::string_view qualifier(std::string_view key) const;
};

// Nullopt when `text` is not a package URL: no "pkg:" scheme, no type or no name, or a bad
// percent escape.
std::optional<Purl> parse_purl(std::string_view text);

// Whether the purl names this installed package: the purl type must fit the package's ecosystem
// (deb: Debian/Ubuntu or dpkg; rpm; apk: Alpine; npm; composer: Packagist; pypi; gem; maven;
// golang; cargo; nuget), the name must equal its name (for OS packages the source package name
// also counts, as advisories name source packages), the version, when the purl has one, its
// installed version (or source version), and an `arch` qualifier, when both sides have one, its
// architecture. Types patchparty does not inventory never match.
bool purl_matches(const Purl& purl, const Package& package);

// The package a purl names, as an inventory would hold it: ecosystem in OSV's spelling, name as
// the ecosystem writes it, version exactly as the purl states it. Origin, project and location
// are left to the caller. Application types:
//   npm       -> "npm", name "@scope/name" when namespaced (a scope written without its '@' gets
//                one); composer -> "Packagist", "vendor/name" (a vendor is required);
//   pypi      -> "PyPI", name as written (correlation canonicalises PyPI names);
//   golang    -> "Go", name namespace + "/" + name, version without a leading "v" before a digit
//                (and "go" for the toolchain "stdlib"), as OSV's Go ranges spell them;
//   cargo -> "crates.io", gem -> "RubyGems", nuget -> "NuGet";
//   maven     -> "Maven", "group:artifact" (a group is required).
// OS types need the `distro` qualifier (or, for deb, a release in it) to name the release whose
// advisories apply; family from the namespace, release from `distro` ("debian-12", "12",
// "bookworm", "ubuntu-22.04", "jammy", "alpine-3.19.1", "3.19.1", "rhel-9.3", "redhat-9.3"):
//   deb debian     -> "Debian:12"; `distro=debian` or sid/unstable -> "Debian" (unscoped, as a
//                     host without VERSION_ID is);
//   deb ubuntu     -> "Ubuntu:22.04:LTS" for even years' April releases (every LTS so far),
//                     else "Ubuntu:23.10"; Ubuntu Pro cannot be told from a purl;
//   apk alpine     -> "Alpine:v3.19" (edge has no ecosystem); apk wolfi / chainguard -> "Wolfi" /
//                     "Chainguard", which have no releases;
//   rpm redhat     -> "Red Hat:enterprise_linux:9"; almalinux -> "AlmaLinux:9"; rocky ->
//                     "Rocky Linux:9"; opensuse -> "openSUSE:Leap 15.5" / "openSUSE:Tumbleweed";
//                     mageia -> "Mageia:9"; photon -> "Photon OS:5.0".
// OS packages also take `arch`, and their source package from `upstream` (or `source`): a name,
// "name@version" (Syft's deb form), or for rpm "name-version-release.src.rpm"; without one the
// source is the package itself. An rpm `epoch` qualifier is put back in front of the version
// ("1:3.0.7- 27.el9"), as rpm databases are read. Nullopt, with `why` saying so, for a purl without
// a version, of another type (generic, oci, github...), of a distribution no OSV ecosystem covers
// or without a release, or whose name or version has spaces or control characters.
std::optional<Package> package_from_purl(const Purl& purl, std::string& why);
std::optional<Package> package_from_purl(const Purl& purl);

// The canonical purl of an inventoried package: type from the origin (dpkg, rpm, apk) or the
// ecosystem, qualifiers sorted by key and empty ones left out, every character outside
// [A-Za-z0-9.-_~:] percent-encoded (the purl spec's permitted set), namespace segments encoded
// one by one. Per type: deb/rpm/apk name the vendor ("debian", "ubuntu", "alpine", "redhat",
// "almalinux", "rocky", ...) and carry arch, distro ("debian-12", "ubuntu-22.04",
// "alpine-3.19", "rhel-9", "almalinux-9"; "debian" for unscoped Debian; none where the
// ecosystem names no release) and upstream when the source package differs ("name", or
// "name@version" when the versions differ; rpm "name-version-release.src.rpm" when the source
// version is a version-release with the package's epoch); rpm moves
// the epoch from the version into an `epoch` qualifier, as the purl spec asks. composer names
// are lowercased, pypi names lowercased with '_' as '-' (the spec's rules); golang versions get
// their "v" back and module paths keep their case (OSV and the Go proxy need it, although the
// spec asks for lower case; versions not starting with a digit get no "v"); maven's group is the
// namespace. Ecosystems without a purl type become pkg:generic.
// package_from_purl(*parse_purl(purl_of(p))) gives back p's ecosystem, name and version, except
// where the ecosystem says more than a purl can (Ubuntu Pro, Red Hat's extended streams, SUSE) or a
// spec rule folds the name's case.
std::string purl_of(const Package& package);

}  // namespace patchparty
