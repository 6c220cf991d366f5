// The whole input is one /proc/PID/maps text (another user's process can put any file name in
// its maps). Every mapping parsed must be absolute, without the " (deleted)" marker, listed once
// and never more than the input has lines; the cut-off reads must not crash or hang.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "collectors/restart/proc_maps.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto maps = patchparty::restart::parse_maps(text);
  std::set<std::string> seen;
  for (const auto& m : maps) {
    check(!m.path.empty() && m.path.front() == '/');
    check(m.inode != 0);
    check(seen.insert(m.path).second);
    (void)patchparty::restart::is_shared_library(m.path);
  }
  check(maps.size() <= static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  check(patchparty::restart::parse_maps(text, 1).size() <= 1);
  return 0;
}
