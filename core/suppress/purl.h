// Package URLs (https://github.com/package-url/purl-spec), as OpenVEX names its products:
// pkg:deb/debian/openssl@3.0.11-1~deb12u1?arch=amd64, pkg:npm/%40babel/core@7.22.0.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/model/model.h"

namespace patchparty::suppress {

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

}  // namespace patchparty::suppress
