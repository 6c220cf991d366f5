// libFuzzer entry for parse_python_metadata, the header reader of PythonSite: any bytes.
// Besides "no crash", it checks what the parser promises its callers.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/inventory/python_site.h"
#include "tests/fuzz/reader_promises.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using patchparty::fuzz::ascii_word;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto metadata = patchparty::inventory::parse_python_metadata(text);
  if (!metadata) {
    if (metadata.error().code != patchparty::Errc::invalid_argument) std::abort();
    return 0;
  }
  if (metadata->name.empty() || !ascii_word(metadata->name) || metadata->version.empty() ||
      !ascii_word(metadata->version))
    std::abort();
  return 0;
}
