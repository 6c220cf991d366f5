// Composer version constraints (">=4.4.0,<4.4.13|^5.1", "~2.3", "1.0 - 2.0", "2.1.*@dev") as
// Composer\Semver\Semver::satisfies reads them (composer/semver 3.x).
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"

namespace patchparty::versions {

struct ComposerAtom {
  bool match_all = false;
  std::string op;       // "==", "!=", "<", "<=", ">", ">="
  std::string version;  // normalised, e.g. "4.4.13.0-dev"
};

// OR of AND-groups, after Composer's own merging of adjacent [>=a <b] | [>=b <c] groups.
struct ComposerConstraint {
  std::vector<std::vector<ComposerAtom>> any_of;

  // `normalized` comes from composer_normalize(). A named branch ("dev-main") only meets
  // "==" with the same branch and "!="; it is neither older nor newer than any release.
  bool test(const std::string& normalized) const;
};

// Stability flags: "@dev" and friends are read as Composer reads them: stripped, and for a
// non-equality operator on a stable version appended as a suffix (">=1.0@beta" becomes
// ">= 1.0.0.0-beta"). Minimum-stability filtering belongs to Composer's solver, not to
// satisfies(), so it is not applied. invalid_argument where Composer throws; constraints over
// 1024 bytes are refused.
[[nodiscard]] Result<ComposerConstraint> parse_composer_constraint(std::string_view constraint);

[[nodiscard]] Result<bool> composer_satisfies(std::string_view version,
                                              std::string_view constraint);

// FriendsOfPHP "branches: {x: {versions: ['>=4.4.0', '<4.4.13']}}": every entry must hold.
// An empty list is invalid_argument.
[[nodiscard]] Result<bool> composer_all_of(std::string_view version,
                                           std::span<const std::string> constraints);

}  // namespace patchparty::versions
