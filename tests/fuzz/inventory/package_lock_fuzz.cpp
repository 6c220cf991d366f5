// libFuzzer entry for parse_package_lock: any bytes. Besides "no crash", it checks what the
// parser promises its callers.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/inventory/package_lock.h"
#include "tests/fuzz/reader_promises.h"

namespace {

using patchparty::fuzz::ascii_word;

bool has_control(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  auto packages = patchparty::inventory::parse_package_lock(json, "fuzz");
  if (!packages) {
    const auto code = packages.error().code;
    if (code != patchparty::Errc::data_loss && code != patchparty::Errc::invalid_argument &&
        code != patchparty::Errc::failed_precondition &&
        code != patchparty::Errc::resource_exhausted)
      std::abort();
    return 0;
  }
  for (const auto& p : *packages) {
    if (p.name.empty() || !ascii_word(p.name) || has_control(p.version)) std::abort();
    if (p.ecosystem != "npm" || p.origin != "npm" || p.project != "fuzz" ||
        p.source_name != p.name || p.source_version != p.version)
      std::abort();
    // Every package was installed under some node_modules folder.
    if (p.location.find("node_modules/") == std::string_view::npos) std::abort();
  }
  return 0;
}
