// The one table from OSV ecosystem names to version schemes.
#include <array>
#include <string>
#include <utility>

#include "core/versions/apk_version.h"
#include "core/versions/composer_version.h"
#include "core/versions/dpkg_version.h"
#include "core/versions/maven_version.h"
#include "core/versions/pep440_version.h"
#include "core/versions/rpm_version.h"
#include "core/versions/rubygems_version.h"
#include "core/versions/semver_version.h"
#include "core/versions/version_scheme.h"

namespace patchparty::versions {

namespace {

using Accessor = const VersionScheme& (*)();

// OSV names an ecosystem "Base" or "Base:release" ("Debian:12", "Alpine:v3.19",
// "Ubuntu:22.04:LTS"); the version scheme depends on the base only.
constexpr std::array<std::pair<std::string_view, Accessor>, 21> kSchemes{{
    {"Debian", &dpkg_scheme},     {"Ubuntu", &dpkg_scheme},        {"Red Hat", &rpm_scheme},
    {"Rocky Linux", &rpm_scheme}, {"AlmaLinux", &rpm_scheme},      {"openSUSE", &rpm_scheme},
    {"SUSE", &rpm_scheme},        {"Mageia", &rpm_scheme},         {"openEuler", &rpm_scheme},
    {"Photon OS", &rpm_scheme},   {"Alpine", &apk_scheme},         {"Wolfi", &apk_scheme},
    {"Chainguard", &apk_scheme},  {"npm", &semver_scheme},         {"crates.io", &semver_scheme},
    {"Go", &go_scheme},           {"Packagist", &composer_scheme}, {"PyPI", &pep440_scheme},
    {"Maven", &maven_scheme},     {"RubyGems", &rubygems_scheme},  {"Bitnami", &semver_scheme},
}};

}  // namespace

Result<const VersionScheme*> scheme_for_ecosystem(std::string_view ecosystem) {
  std::string_view base = ecosystem.substr(0, ecosystem.find(':'));
  for (const auto& [name, accessor] : kSchemes) {
    if (name == base) return &accessor();
  }
  return fail(Errc::not_found,
              "no version comparator for ecosystem '" + std::string(ecosystem) + "'");
}

}  // namespace patchparty::versions
