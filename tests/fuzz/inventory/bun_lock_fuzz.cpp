// libFuzzer entry for parse_bun_lock: any bytes. Besides "no crash", it checks what the parser
// promises its callers.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "collectors/inventory/bun_lock.h"
#include "tests/fuzz/reader_promises.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using patchparty::fuzz::ascii_word;
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  auto packages = patchparty::inventory::parse_bun_lock(json, "fuzz");
  if (!packages) {
    const auto code = packages.error().code;
    if (code != patchparty::Errc::data_loss && code != patchparty::Errc::invalid_argument &&
        code != patchparty::Errc::failed_precondition &&
        code != patchparty::Errc::resource_exhausted)
      std::abort();
    return 0;
  }
  for (const auto& p : *packages) {
    if (p.name.empty() || !ascii_word(p.name) || p.version.empty() || !ascii_word(p.version))
      std::abort();
    // Registry versions only: no protocol, path or commit.
    if (p.version.find_first_of(":/#") != std::string::npos) std::abort();
    if (p.ecosystem != "npm" || p.origin != "bun" || p.project != "fuzz" ||
        p.source_name != p.name || p.source_version != p.version || p.dev || p.optional)
      std::abort();
    // Every key is an install path (an alias's names the alias, not the package).
    if (!std::string_view(p.location).starts_with("node_modules/")) std::abort();
  }
  return 0;
}
