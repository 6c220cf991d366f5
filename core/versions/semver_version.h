// SemVer 2.0.0 as npm (node's `semver` package, v7, default options) and Go modules read it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/versions/version_scheme.h"

namespace patchparty::versions {

// node: as `new SemVer(v)` in node-semver: surrounding JavaScript whitespace is trimmed, an
// optional "v", at most 256 characters, main numbers at most Number.MAX_SAFE_INTEGER.
// go: as golang.org/x/mod/semver with the "v" made optional (OSV drops it), so "1" and "1.2"
// are the shorthands of 1.0.0 and 1.2.0 and numbers may have any length; "+incompatible" and
// pseudo-versions are ordinary build metadata and prereleases.
enum class SemverDialect { node, go };

struct Semver {
  // Decimal digit strings without leading zeros, so numbers of any length compare exactly.
  std::string major;
  std::string minor;
  std::string patch;
  std::vector<std::string> prerelease;
  std::vector<std::string> build;  // parsed for validity; never part of the order
};

[[nodiscard]] Result<Semver> parse_semver(std::string_view text, SemverDialect dialect);

// <0, 0, >0. In the node dialect, two numeric prerelease identifiers at or above 2^53-1 compare
// as JavaScript numbers do (rounded to doubles), because that is what npm decides with; node
// then answers "equal" for 1.0.0-9007199254740993.a and 1.0.0-9007199254740992.b, so for such
// identifiers (and only for them) the order is not transitive. The go dialect compares exactly.
int compare_semver(const Semver& a, const Semver& b, SemverDialect dialect);

// The characters String.prototype.trim removes, in UTF-8; node-semver trims with it.
std::string_view trim_js_whitespace(std::string_view s);
bool is_js_whitespace_at(std::string_view s, std::size_t pos, std::size_t* length);

// Compares decimal digit strings without leading zeros by value.
int compare_decimal(std::string_view a, std::string_view b);

const VersionScheme& semver_scheme();
const VersionScheme& go_scheme();

}  // namespace patchparty::versions
