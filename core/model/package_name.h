// How an ecosystem compares package names. Advisories and lockfiles spell the same package in
// different ways: PyPI treats "Django", "django" and "zope.interface"/"zope-interface" as one
// project (PEP 503), Packagist names are case-insensitive. The advisory index stores, and
// correlation looks up, this one spelling.
#pragma once

#include <string>
#include <string_view>

namespace patchparty {

// `name` as the index of (ecosystem, name) keys spells it. `base_ecosystem` is the part before
// the first ':' ("PyPI", "Packagist", "Debian"):
//   PyPI       PEP 503: runs of '-', '_' and '.' become one '-', ASCII letters lower case;
//   Packagist  ASCII letters lower case;
//   others     unchanged (npm, Go, crates.io, RubyGems, Maven and the distributions compare
//              names exactly).
std::string index_package_name(std::string_view base_ecosystem, std::string_view name);

// Whether two names are one package of the ecosystem: index_package_name of both are equal.
bool same_package_name(std::string_view base_ecosystem, std::string_view a, std::string_view b);

}  // namespace patchparty
