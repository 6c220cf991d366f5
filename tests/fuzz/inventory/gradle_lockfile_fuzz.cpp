// libFuzzer entry for parse_gradle_lockfile: any bytes. Besides "no crash", it checks what the
// parser promises its callers.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/inventory/gradle_lockfile.h"
#include "tests/fuzz/reader_promises.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto packages = patchparty::inventory::parse_gradle_lockfile(text, "fuzz", "label");
  if (!packages) {
    const auto code = packages.error().code;
    static_cast<void>(code);
    std::abort();  // bad lines are skipped: the parser never fails
    return 0;
  }
  for (const auto& p : *packages) {
    if (p.name.empty() || p.version.empty() || !patchparty::fuzz::ascii_word(p.name) ||
        !patchparty::fuzz::ascii_word(p.version))
      std::abort();
    if (p.ecosystem != "Maven" || p.origin != "gradle" || p.project != "fuzz" ||
        p.location != "label" || p.source_name != p.name || p.source_version != p.version)
      std::abort();
    if (p.name.find(':') == std::string_view::npos || p.version.find('=') != std::string_view::npos)
      std::abort();
  }
  return 0;
}
