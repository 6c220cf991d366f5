// libFuzzer entry for parse_kev: any bytes. Besides "no crash", it checks what the parser
// promises its callers.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/feeds/kev.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  std::uint64_t calls = 0, ransomware = 0;
  auto catalog = patchparty::feeds::parse_kev(json, [&](patchparty::KevEntry&& e) {
    if (!patchparty::feeds::is_cve_id(e.cve) || e.date_added.size() != 10 ||
        e.due_date.size() != 10)
      std::abort();
    ++calls;
    if (e.known_ransomware) ++ransomware;
    return patchparty::Result<>();
  });
  if (!catalog) {
    const auto code = catalog.error().code;
    if (code != patchparty::Errc::data_loss && code != patchparty::Errc::invalid_argument)
      std::abort();
    return 0;
  }
  if (catalog->count != calls || catalog->known_ransomware != ransomware) std::abort();
  return 0;
}
