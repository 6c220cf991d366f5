// Text from outside (a probe's body, a process's stderr, a bus error) as one bounded line for a
// log, an alert or an API field: control characters become spaces.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace patchparty {

std::string one_line(std::string_view text, std::size_t max = 512);

}  // namespace patchparty
