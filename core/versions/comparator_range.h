// A plain range expression for ecosystems without a native range syntax (dpkg, rpm, apk, PyPI
// specifiers without "~=", Maven, RubyGems): alternatives separated by "||", each a list of
// comparators separated by "," or spaces, all of which must hold:
//   ">= 1.2.0, < 1.4.0 || = 2.0.0"
// Every version in it is checked with the ecosystem's own comparator.
#pragma once

#include <string_view>

#include "core/base/result.h"
#include "core/versions/version_scheme.h"

namespace patchparty::versions {

[[nodiscard]] Result<bool> comparator_range_satisfied(const VersionScheme& scheme,
                                                      std::string_view version,
                                                      std::string_view range);

}  // namespace patchparty::versions
