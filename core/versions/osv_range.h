// Whether an installed version falls in an OSV "affected" entry, by the schema's evaluation.
#pragma once

#include <string_view>

#include "core/base/result.h"
#include "core/model/model.h"
#include "core/versions/version_scheme.h"

namespace patchparty::versions {

// True when `version` is listed in affected.versions (equal under `scheme`) or lies in one of
// its ECOSYSTEM or SEMVER ranges: events sorted by version ("introduced": "0" first), then
// introduced opens, fixed (>=) and last_affected (>) close; limit events bound the range from
// above ("*" is unbounded). GIT ranges and native_ranges are not looked at here.
// invalid_argument, naming the string, when the installed version, an event version or a listed
// version does not parse under `scheme`, or a range has no "introduced" event: never a guess.
[[nodiscard]] Result<bool> is_affected(const VersionScheme& scheme, std::string_view version,
                                       const Affected& affected);

}  // namespace patchparty::versions
