// libFuzzer entry for parse_composer_lock: any bytes. Besides "no crash", it checks what the
// parser promises its callers.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/inventory/composer_lock.h"
#include "tests/fuzz/reader_promises.h"

using patchparty::fuzz::ascii_word;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  auto packages = patchparty::inventory::parse_composer_lock(json, "fuzz", "composer.lock");
  if (!packages) {
    const auto code = packages.error().code;
    if (code != patchparty::Errc::data_loss && code != patchparty::Errc::invalid_argument)
      std::abort();
    return 0;
  }
  bool seen_dev = false;
  for (const auto& p : *packages) {
    if (p.name.empty() || p.version.empty() || !ascii_word(p.name) || !ascii_word(p.version))
      std::abort();
    if (p.ecosystem != "Packagist" || p.origin != "composer" || p.project != "fuzz" ||
        p.location != "composer.lock" || p.source_name != p.name || p.source_version != p.version)
      std::abort();
    // "packages-dev" entries all come after "packages" entries.
    if (seen_dev && !p.dev) std::abort();
    seen_dev = seen_dev || p.dev;
  }
  return 0;
}
