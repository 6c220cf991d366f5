// The two rules of deb822 text ("Field: value" paragraphs) that dpkg's status file and apt's
// Packages and Release files share.
#pragma once

#include <string_view>

namespace patchparty::inventory {

// `s` without leading and trailing `blanks`.
std::string_view deb822_trim(std::string_view s, std::string_view blanks = " \t");

// Field names compare without regard to ASCII case ("Package" is "package").
bool deb822_name_equals(std::string_view a, std::string_view b);

}  // namespace patchparty::inventory
