// One comparator per versioning scheme, chosen by OSV ecosystem name.
#pragma once

#include <string_view>

#include "core/base/result.h"

namespace patchparty::versions {

class VersionScheme {
 public:
  virtual ~VersionScheme() = default;
  virtual std::string_view name() const = 0;  // "dpkg", "rpm", "apk", "semver", "composer", ...
  // invalid_argument naming the version when it cannot be parsed; never a guess.
  [[nodiscard]] virtual Result<void> validate(std::string_view version) const = 0;
  // <0, 0, >0 as a is older than, equal to, or newer than b in the ecosystem's own ordering.
  [[nodiscard]] virtual Result<int> compare(std::string_view a, std::string_view b) const = 0;
};

// "Debian:12" -> dpkg, "Alpine:v3.19" -> apk, "npm" -> semver, ...; not_found for an ecosystem
// without a comparator. The returned scheme lives for the whole program.
[[nodiscard]] Result<const VersionScheme*> scheme_for_ecosystem(std::string_view ecosystem);

}  // namespace patchparty::versions
