// Debian release codenames and the OSV ecosystems their packages are published under. Shared by
// the security tracker JSON reader and the DSA/DLA/DTSA list reader, which both name releases by
// codename.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace patchparty::feeds {

// "bookworm" → "12", "sarge" → "3.1", "sid" → "unstable"; nullopt for a codename not in the
// table (a release newer than this build, "experimental", a typo).
//
// sid has no release number and OSV defines no ecosystem for it. It maps to "Debian:unstable"
// rather than being dropped because the tracker states sid's fix for nearly every CVE, and that
// is the only data that fits hosts running unstable (os-release gives them no VERSION_ID, so the
// inventory labels them plain "Debian"); a numbered host ("Debian:12") never matches it.
std::optional<std::string_view> debian_release_number(std::string_view codename);

// "Debian:" + debian_release_number(codename).
std::optional<std::string> debian_ecosystem(std::string_view codename);

// A feed's `only` as codenames: it may name Debian releases by codename ("bookworm") or by OSV
// ecosystem ("Debian:12"); anything else passes unchanged.
std::vector<std::string> debian_codenames(const std::vector<std::string>& only);

}  // namespace patchparty::feeds
