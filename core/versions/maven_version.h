// Maven artifact versions in the order of Maven's ComparableVersion (maven-artifact 3.8).
#pragma once

#include "core/versions/version_scheme.h"

namespace patchparty::versions {

// Any non-empty printable ASCII string without blanks is a version, as for Maven, which orders
// every string. Qualifiers: alpha (a1) < beta (b1) < milestone (m1) < rc = cr < snapshot <
// "" = ga = final = release < sp < anything else (alphabetical); numbers of any length; trailing
// zeros, "" and empty sub-lists are dropped, so 1 = 1.0 = 1-0 = 1.ga.
const VersionScheme& maven_scheme();

}  // namespace patchparty::versions
