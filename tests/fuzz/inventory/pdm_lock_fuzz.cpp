// libFuzzer entry for parse_pdm_lock: any bytes. Besides "no crash", it checks what the parser
// promises its callers.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/inventory/pdm_lock.h"
#include "tests/fuzz/reader_promises.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using patchparty::Errc;
  using patchparty::fuzz::ascii_word;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto packages = patchparty::inventory::parse_pdm_lock(text, "fuzz", "pdm.lock");
  if (!packages) {
    const auto code = packages.error().code;
    if (code != Errc::data_loss && code != Errc::invalid_argument &&
        code != Errc::failed_precondition)
      std::abort();
    return 0;
  }
  for (const auto& p : *packages) {
    if (p.name.empty() || !ascii_word(p.name) || p.version.empty() || !ascii_word(p.version))
      std::abort();
    if (p.ecosystem != "PyPI" || p.origin != "pdm" || p.project != "fuzz" ||
        p.location != "pdm.lock" || p.source_name != p.name || p.source_version != p.version)
      std::abort();
  }
  return 0;
}
