// libFuzzer entry for parse_npm_package_json, the reader of each globally installed package's
// manifest: any bytes. Besides "no crash", it checks what the reader promises its callers.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/inventory/npm_global.h"
#include "tests/fuzz/reader_promises.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  auto p = patchparty::inventory::parse_npm_package_json(json, "/fuzz");
  if (!p) {
    const auto code = p.error().code;
    if (code != patchparty::Errc::data_loss && code != patchparty::Errc::invalid_argument)
      std::abort();
    return 0;
  }
  if (!patchparty::fuzz::ascii_word(p->name) || !patchparty::fuzz::ascii_word(p->version) ||
      p->name.empty() || p->version.empty() || p->ecosystem != "npm" || p->origin != "npm-global" ||
      p->location != "/fuzz" || !p->project.empty())
    std::abort();
  return 0;
}
