// Alpine package versions (number{.number}[letter]{_suffix[number]}[-r#]) in apk's order.
#pragma once

#include "core/versions/version_scheme.h"

namespace patchparty::versions {

// Ordering is apk-tools 2.x's (the apk of Alpine 3.x releases): numbers of any length, a letter
// after the last number, pre-release suffixes _alpha _beta _pre _rc before the plain release,
// _cvs _svn _git _hg _p after it, several suffixes in a row, -rN last. Validity is osv.dev's
// Alpine grammar (which also allows a suffix without '_' and ".rN" as the revision), kept to
// the strings apk itself tokenises without error, so every accepted version has a defined place.
// apk 2.x's quirks are kept, as apk applies them: leading zeros after '.' weigh below any digit
// (6.02 < 6.1, 1.00 < 1.0), and a pre-release suffix right after ".0" without a revision sorts
// above the release (1.0_rc1 > 1.0, while 1.0_rc1-r0 < 1.0-r0 as Alpine's packages have it).
const VersionScheme& apk_scheme();

}  // namespace patchparty::versions
