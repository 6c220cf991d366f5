// Packagist versions as Composer orders them (composer/semver 3.x): VersionParser::normalize,
// then PHP's version_compare on the normalised strings, with Composer's branch rules.
#pragma once

#include <string>
#include <string_view>

#include "core/base/result.h"
#include "core/versions/version_scheme.h"

namespace patchparty::versions {

// "v1.2" -> "1.2.0.0", "1.0RC1" -> "1.0.0.0-RC1", "2.1.x-dev" -> "2.1.9999999.9999999-dev",
// "dev-main" -> "dev-main"; invalid_argument where VersionParser::normalize throws.
// Inputs over 1024 bytes are refused.
[[nodiscard]] Result<std::string> composer_normalize(std::string_view version);

// PHP's version_compare(a, b) (<0, 0, >0), including its quirks: numbers saturate at 2^63-1,
// any word not in dev < alpha=a < beta=b < RC=rc < # < pl=p sorts before "dev".
int php_version_compare(std::string_view a, std::string_view b);

// Composer's VersionParser::parseStability: "stable", "RC", "beta", "alpha" or "dev".
std::string composer_stability(std::string_view normalized);

// compare(): both versions are normalised; dev-master, dev-trunk and dev-default then stand for
// 9999999-dev (newest), as Composer's own Semver::sort does. Any other named branch
// ("dev-feature") sorts below every numbered version (Comparator with branch comparison on).
// Composer gives two different named branches no order at all; here they sort by name, so that
// compare() stays a total order.
const VersionScheme& composer_scheme();

// Shared with the constraint parser, which reads the same PHP regular expressions.
// PHP's trim(): space, \t, \n, \r, \0 and \x0B, but not \f.
std::string php_trim(std::string_view s);

}  // namespace patchparty::versions
