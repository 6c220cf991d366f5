// libFuzzer entry for parse_dsa_list: any bytes. Besides "no crash", it checks what the reader
// promises its callers about every advisory it emits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/feeds/debian_dsa_list.h"
#include "tests/fuzz/reader_promises.h"

namespace {

using patchparty::fuzz::word;

bool iso_date(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (d[i] < '0' || d[i] > '9') return false;
  return true;
}

void check(const patchparty::Advisory& a) {
  std::string_view id = a.id;
  if (!word(id) || !(id.starts_with("DSA-") || id.starts_with("DLA-") || id.starts_with("DTSA-")))
    std::abort();
  if (!iso_date(a.published) || a.feed != "debian-dsa-list") std::abort();
  for (const auto& alias : a.aliases)
    if (!word(alias)) std::abort();
  for (const auto& af : a.affected)
    if (!patchparty::fuzz::debian_affected_ok(af)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace patchparty;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  fuzz::parse_checked([&](auto sink) { return feeds::parse_dsa_list(text, sink); }, check);
  return 0;
}
