// npm version ranges ("^1.2.3", ">=1.0.0 <1.2.5 || 2.x", "1.2 - 1.4") as node-semver v7
// `satisfies(version, range)` reads them with default options.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/versions/semver_version.h"

namespace patchparty::versions {

struct NpmComparator {
  std::string op;  // "", "<", "<=", ">", ">="; "" is equality
  bool any = false;
  Semver version;  // unset when any
};

// OR of comparator sets; each set is an AND.
struct NpmRange {
  std::vector<std::vector<NpmComparator>> sets;

  // A prerelease version only matches a set that names a prerelease of the same
  // [major, minor, patch], so "^1.0.0" does not pull in 2.0.0-rc.1 (npm's default).
  bool test(const Semver& version) const;
};

// Ranges are rewritten in the same steps node-semver takes (hyphen ranges, operator whitespace,
// tilde and caret, x-ranges, stars), so its quirks hold here too, e.g. "> 1.2" means ">=1.3.0".
// invalid_argument when node-semver would throw; ranges over 1024 bytes are refused outright.
[[nodiscard]] Result<NpmRange> parse_npm_range(std::string_view range);

// invalid_argument naming the version or range when either cannot be parsed. node's
// satisfies() answers false for both instead; an advisory must not silently miss.
[[nodiscard]] Result<bool> npm_satisfies(std::string_view version, std::string_view range);

}  // namespace patchparty::versions
