#include "core/base/yaml_nesting.h"

namespace patchparty {

bool yaml_nesting_within(std::string_view text, int limit) {
  int flow = 0;
  bool line_start = true;
  int block = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      line_start = true;
      block = 0;
      continue;
    }
    if (line_start) {
      if (c == ' ') {
        ++block;
      } else if ((c == '-' || c == '?') &&
                 (i + 1 == text.size() || text[i + 1] == ' ' || text[i + 1] == '\n')) {
        ++block;
      } else {
        line_start = false;
      }
      if (block > limit) return false;
    }
    if (c == '[' || c == '{') {
      if (++flow > limit) return false;
    } else if ((c == ']' || c == '}') && flow > 0) {
      --flow;
    }
  }
  return true;
}

}  // namespace patchparty
