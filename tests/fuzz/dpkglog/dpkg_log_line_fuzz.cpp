// libFuzzer entry for parse_dpkg_log_line and to_patch_event: any bytes, line by line.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/dpkglog/dpkg_log_line.h"

namespace {
bool clean(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f || c == ' ') return false;
  return true;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    auto entry = patchparty::dpkglog::parse_dpkg_log_line(line);
    if (!entry) {
      if (entry.error().message.empty()) std::abort();
      continue;
    }
    if (!*entry) continue;
    const auto& e = **entry;
    // What becomes a store row and a label: never empty, never blanks or control characters.
    if (e.package.empty() || !clean(e.package) || !clean(e.arch) || !clean(e.old_version) ||
        !clean(e.new_version))
      std::abort();
    auto event = patchparty::dpkglog::to_patch_event(e, "Debian:12");
    if (event && event->target != e.package) std::abort();
  }
  return 0;
}
