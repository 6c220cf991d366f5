// Whether one installed package falls in one OSV "affected" entry, and which version fixes it.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "core/base/result.h"
#include "core/model/model.h"
#include "core/versions/composer_constraint.h"
#include "core/versions/npm_range.h"

namespace patchparty::correlate {

struct AffectedVerdict {
  bool affected = false;
  // The lowest bound the entry names ("fixed" events, "<X" in native ranges) that is above the
  // installed version and that no range of the entry covers: feeds chain adjacent branches, so
  // the bound of the installed version's own range may be affected again. Empty when there is
  // none (unfixed, last_affected only).
  std::string fixed_version;
};

// `version` is compared with the comparator of `ecosystem` (the package's). Native range
// expressions win over OSV ranges when a feed gives both, because they are what the feed states
// (FriendsOfPHP branches with a ">X" bound have no OSV equivalent). invalid_argument when a version
// or range does not parse: the caller reports it for this package, never a silent miss.
//
// One evaluator serves a whole scan: npm ranges and Composer constraints are parsed once each
// (their grammars go through regular expressions, which would otherwise dominate a scan).
class AffectedEvaluator {
 public:
  [[nodiscard]] Result<AffectedVerdict> evaluate(const Affected& affected,
                                                 std::string_view ecosystem,
                                                 std::string_view version);

 private:
  Result<bool> native_satisfied(std::string_view base, std::string_view version,
                                std::string_view range);

  std::unordered_map<std::string, Result<versions::NpmRange>> npm_ranges_;
  std::unordered_map<std::string, Result<versions::ComposerConstraint>> composer_constraints_;
  std::unordered_map<std::string, Result<std::string>> composer_versions_;
};

// A one-off evaluation.
[[nodiscard]] Result<AffectedVerdict> evaluate_affected(const Affected& affected,
                                                        std::string_view ecosystem,
                                                        std::string_view version);

}  // namespace patchparty::correlate
