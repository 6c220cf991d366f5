// libFuzzer entry for parse_epss: any bytes. Besides "no crash", it checks what the parser
// promises its callers: valid ids, numbers in [0, 1], and only data_loss as an error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/feeds/epss.h"
#include "collectors/feeds/kev.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view csv(reinterpret_cast<const char*>(data), size);
  std::uint64_t calls = 0;
  auto stats = patchparty::feeds::parse_epss(csv, [&](patchparty::EpssScore&& s) {
    if (!patchparty::feeds::is_cve_id(s.cve) || !(s.probability >= 0 && s.probability <= 1) ||
        !(s.percentile >= 0 && s.percentile <= 1) || !(s.date.empty() || s.date.size() == 10))
      std::abort();
    ++calls;
    return patchparty::Result<>();
  });
  if (!stats) {
    if (stats.error().code != patchparty::Errc::data_loss) std::abort();
    return 0;
  }
  if (stats->rows != calls || stats->bytes != size) std::abort();
  return 0;
}
