// Whether one installed package falls in one OSV "affected" entry, and which version fixes it.
#pragma once

#include <string>
#include <string_view>

#include "daemon/model.h"
#include "daemon/result.h"

namespace patchparty::correlate {

struct AffectedVerdict {
  bool affected = false;
  // The lowest version above the installed one that closes the range the installed version is
  // in; empty when the entry names no such version (unfixed, last_affected only).
  std::string fixed_version;
};

// `version` is compared with the comparator of `ecosystem` (the package's). Native range
// expressions win over OSV ranges when a feed gives both, because they are what the feed states
// (FriendsOfPHP branches with a ">X" bound have no OSV equivalent). invalid_argument when a version
// or range does not parse: the caller reports it for this package, never a silent miss.
[[nodiscard]] Result<AffectedVerdict> evaluate_affected(const Affected& affected,
                                                        std::string_view ecosystem,
                                                        std::string_view version);

}  // namespace patchparty::correlate
