// Debian package versions ([epoch:]upstream[-revision]) ordered as dpkg orders them.
#pragma once

#include "core/versions/version_scheme.h"

namespace patchparty::versions {

// Accepts exactly what `dpkg --compare-versions` accepts: its hard errors (empty or non-numeric
// epoch, empty revision, embedded blanks, ...) are invalid_argument; what dpkg only warns about
// (an upstream part that does not start with a digit, odd characters) is accepted, as dpkg does.
// The one deliberate difference: "" is rejected, where the dpkg command reads it as "no version".
const VersionScheme& dpkg_scheme();

}  // namespace patchparty::versions
