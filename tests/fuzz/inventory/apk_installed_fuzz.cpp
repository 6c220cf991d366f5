// libFuzzer entry for parse_apk_installed: any bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/inventory/apk_installed.h"
#include "tests/fuzz/reader_promises.h"

using patchparty::fuzz::ascii_word;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto packages = patchparty::inventory::parse_apk_installed(text, "Alpine:v3.19");
  if (!packages) return 0;
  // Accepted means no line was cut: empty or ending with a newline.
  if (!text.empty() && !text.ends_with('\n')) std::abort();
  for (const auto& p : *packages) {
    if (p.name.empty() || p.version.empty() || p.source_name.empty()) std::abort();
    if (!ascii_word(p.name) || !ascii_word(p.version) || !ascii_word(p.source_name) ||
        !ascii_word(p.arch))
      std::abort();
    if (p.origin != "apk" || p.source_version != p.version) std::abort();
  }
  return 0;
}
