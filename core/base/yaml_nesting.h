// yaml-cpp parses nested nodes by recursion, so input nested deeply enough overflows the stack:
// YAML from outside (advisory files, lockfiles) is measured before it is handed over.
#pragma once

#include <string_view>

namespace patchparty {

// An upper bound on how deeply yaml-cpp will recurse: open flow brackets, plus per line the
// indentation and the block indicators ("- ", "? ") that open a nested node on the same line.
// Brackets inside quoted text count too; that can only over-estimate.
bool yaml_nesting_within(std::string_view text, int limit);

}  // namespace patchparty
