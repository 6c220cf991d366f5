// libFuzzer entry for parse_pnpm_lock: any bytes. Besides "no crash" (yaml-cpp recursion on deep
// nesting included), it checks what the parser promises its callers.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "collectors/inventory/pnpm_lock.h"
#include "tests/fuzz/reader_promises.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using patchparty::fuzz::ascii_word;
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  auto packages = patchparty::inventory::parse_pnpm_lock(yaml, "fuzz", "pnpm-lock.yaml");
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
    if (p.name.empty() || !ascii_word(p.name) || !ascii_word(p.version)) std::abort();
    // Only semantic versions are kept: they start with a digit and have no peer suffix.
    if (p.version.empty() || p.version.front() < '0' || p.version.front() > '9' ||
        p.version.find_first_of("(_/:") != std::string::npos)
      std::abort();
    if (p.ecosystem != "npm" || p.origin != "pnpm" || p.project != "fuzz" ||
        p.source_name != p.name || p.source_version != p.version || p.location != "pnpm-lock.yaml")
      std::abort();
    if (!seen.emplace(p.name, p.version).second) std::abort();
  }
  return 0;
}
