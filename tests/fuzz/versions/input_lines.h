// The fuzz input as lines, which the range harnesses read one constraint or version each.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace patchparty::testing {

// At most `max` lines split at '\n'; a trailing '\n' leaves an empty last line, as a range
// parser must take "" too. The bound keeps one input's work small.
inline std::vector<std::string_view> input_lines(std::string_view in, std::size_t max) {
  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start <= in.size() && lines.size() < max;) {
    std::size_t nl = in.find('\n', start);
    lines.push_back(in.substr(start, nl == std::string_view::npos ? in.npos : nl - start));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return lines;
}

}  // namespace patchparty::testing
