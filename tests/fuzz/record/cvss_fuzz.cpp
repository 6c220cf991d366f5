// CVSS vectors come from every feed: no crash, and a score is always within 0..10.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/record/cvss.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view v(reinterpret_cast<const char*>(data), size);
  auto s = patchparty::feeds::cvss_base_score(v);
  if (s && (*s < 0.0 || *s > 10.0)) std::abort();
  return 0;
}
