// Alpine package versions (number{.number}[letter]{_suffix[number]}[-r#]) in apk's order.
#pragma once

#include "daemon/versions/version_scheme.h"

namespace patchparty::versions {

// Ordering is apk-tools 2.x's (the apk of Alpine 3.x releases): numbers of any length, a letter
// after the last number, pre-release suffixes _alpha _beta _pre _rc before the plain release,
// _cvs _svn _git _hg _p after it, several suffixes in a row, -rN last. Validity is osv.dev's
// Alpine grammar (which also allows a suffix without '_' and ".rN" as the revision), kept to
// the strings apk itself tokenises without error, so every accepted version has a defined place.
const VersionScheme& apk_scheme();

}  // namespace patchparty::versions
