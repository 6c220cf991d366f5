// libFuzzer entry for parse_go_binary: any bytes. Besides "no crash", it checks what the parser
// promises its callers.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/inventory/go_binary.h"
#include "tests/fuzz/reader_promises.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto packages = patchparty::inventory::parse_go_binary(text, "fuzz", "label");
  if (!packages) {
    const auto code = packages.error().code;
    if (code != patchparty::Errc::data_loss && code != patchparty::Errc::failed_precondition)
      std::abort();
    return 0;
  }
  for (const auto& p : *packages) {
    if (p.name.empty() || p.version.empty() || !patchparty::fuzz::ascii_word(p.name) ||
        !patchparty::fuzz::ascii_word(p.version))
      std::abort();
    if (p.ecosystem != "Go" || p.origin != "gobinary" || p.project != "fuzz" ||
        p.location != "label" || p.source_name != p.name || p.source_version != p.version)
      std::abort();
    if (p.version.front() == 'v' || p.name.starts_with("./") || p.name.starts_with("../"))
      std::abort();
  }
  return 0;
}
