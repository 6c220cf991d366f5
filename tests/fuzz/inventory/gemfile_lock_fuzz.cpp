// libFuzzer entry for parse_gemfile_lock: any bytes. Besides "no crash", it checks what the parser
// promises its callers.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/inventory/gemfile_lock.h"
#include "tests/fuzz/reader_promises.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto packages = patchparty::inventory::parse_gemfile_lock(text, "fuzz", "label");
  if (!packages) {
    const auto code = packages.error().code;
    if (code != patchparty::Errc::data_loss) std::abort();
    return 0;
  }
  for (const auto& p : *packages) {
    if (p.name.empty() || p.version.empty() || !patchparty::fuzz::ascii_word(p.name) ||
        !patchparty::fuzz::ascii_word(p.version))
      std::abort();
    if (p.ecosystem != "RubyGems" || p.origin != "bundler" || p.project != "fuzz" ||
        p.location != "label" || p.source_name != p.name || p.source_version != p.version)
      std::abort();
    // The platform suffix is never part of the version.
    if (p.version.find('-') != std::string_view::npos || p.dev) std::abort();
  }
  return 0;
}
