// RPM versions ([epoch:]version[-release]) ordered as rpm's rpmvercmp and labelCompare order them.
#pragma once

#include "core/versions/version_scheme.h"

namespace patchparty::versions {

// The string is split as rpm splits an EVR: an all-digit prefix before ':' is the epoch (absent
// means 0), the text after the last '-' is the release. Epoch, version and release are compared
// in turn with rpmvercmp (including '~' and '^'); a missing release sorts before any release,
// even an empty one, as rpm's labelCompare does. Rejected: an empty version part, white space
// and control characters, none of which rpmbuild lets into a package's EVR.
const VersionScheme& rpm_scheme();

}  // namespace patchparty::versions
