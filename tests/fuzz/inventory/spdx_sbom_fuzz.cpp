// libFuzzer entry for parse_spdx_sbom: any bytes. Besides "no crash", it checks what the reader
// promises its callers.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/inventory/spdx_sbom.h"
#include "tests/fuzz/inventory/sbom_promises.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  auto result = patchparty::inventory::parse_spdx_sbom(json, "fuzz", "fuzz.spdx.json");
  if (!result) {
    const auto code = result.error().code;
    if (code != patchparty::Errc::data_loss && code != patchparty::Errc::invalid_argument &&
        code != patchparty::Errc::failed_precondition)
      std::abort();
    return 0;
  }
  patchparty::fuzz::check_sbom(*result, "spdx", "fuzz.spdx.json");
  return 0;
}
