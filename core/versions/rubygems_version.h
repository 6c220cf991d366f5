// RubyGems versions in Gem::Version's order.
#pragma once

#include "core/versions/version_scheme.h"

namespace patchparty::versions {

// Validity is Gem::Version's pattern (digits, then '.'-separated alphanumeric segments, then an
// optional '-' pre-release part; white space around is ignored); a blank string, which RubyGems
// reads as "0", is rejected. A segment with letters makes a pre-release ("1.0.a" < "1.0"),
// trailing zeros of the release and of the pre-release part are ignored, numbers have any length.
const VersionScheme& rubygems_scheme();

}  // namespace patchparty::versions
