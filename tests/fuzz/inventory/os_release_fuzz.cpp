// libFuzzer entry for parse_os_release and osv_ecosystem: any bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/inventory/os_release.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto os = patchparty::inventory::parse_os_release(text);
  if (!os) return 0;
  auto ecosystem = patchparty::inventory::osv_ecosystem(*os);
  // An ecosystem becomes a metric label and a store key: one non-empty line, never a guess.
  if (ecosystem) {
    if (ecosystem->empty() || ecosystem->find_first_of("\n\r") != std::string::npos) std::abort();
    if (ecosystem->find_first_of(std::string_view("\0", 1)) != std::string::npos) std::abort();
  } else if (ecosystem.error().message.empty()) {
    std::abort();
  }
  return 0;
}
