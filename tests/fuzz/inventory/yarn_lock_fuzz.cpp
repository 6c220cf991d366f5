// libFuzzer entry for parse_yarn_lock: any bytes, yarn 1 or Berry. Besides "no crash", it checks
// what the parser promises its callers.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "collectors/inventory/yarn_lock.h"
#include "tests/fuzz/reader_promises.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using patchparty::fuzz::ascii_word;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto packages = patchparty::inventory::parse_yarn_lock(text, "fuzz", "yarn.lock");
  if (!packages) {
    const auto code = packages.error().code;
    if (code != patchparty::Errc::data_loss && code != patchparty::Errc::invalid_argument &&
        code != patchparty::Errc::failed_precondition &&
        code != patchparty::Errc::resource_exhausted)
      std::abort();
    return 0;
  }
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& p : *packages) {
    if (p.name.empty() || !ascii_word(p.name) || p.version.empty() || !ascii_word(p.version))
      std::abort();
    if (p.ecosystem != "npm" || p.origin != "yarn" || p.project != "fuzz" ||
        p.source_name != p.name || p.source_version != p.version || p.location != "yarn.lock" ||
        p.dev || p.optional)
      std::abort();
    // One package per distinct name@version.
    if (!seen.emplace(p.name, p.version).second) std::abort();
  }
  return 0;
}
