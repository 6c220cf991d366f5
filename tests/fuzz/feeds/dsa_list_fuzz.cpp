// libFuzzer entry for parse_dsa_list: any bytes. Besides "no crash", it checks what the reader
// promises its callers about every advisory it emits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/feeds/debian_dsa_list.h"

namespace {

bool clean(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return false;
  return true;
}

bool iso_date(std::string_view d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (d[i] < '0' || d[i] > '9') return false;
  return true;
}

void check(const patchparty::Advisory& a) {
  using patchparty::FixStatus;
  using patchparty::RangeEvent;
  std::string_view id = a.id;
  if (!clean(id) || !(id.starts_with("DSA-") || id.starts_with("DLA-") || id.starts_with("DTSA-")))
    std::abort();
  if (!iso_date(a.published) || a.feed != "debian-dsa-list") std::abort();
  for (const auto& alias : a.aliases)
    if (!clean(alias)) std::abort();
  for (const auto& af : a.affected) {
    if (!std::string_view(af.ecosystem).starts_with("Debian:") || !clean(af.name)) std::abort();
    if (af.ranges.size() != 1) std::abort();
    const auto& ev = af.ranges[0].events;
    if (ev.empty() || ev[0].kind != RangeEvent::Kind::introduced || ev[0].version != "0")
      std::abort();
    bool fixed = af.fix_status == FixStatus::fixed;
    if (ev.size() != (fixed ? 2u : 1u)) std::abort();
    if (fixed && (ev[1].kind != RangeEvent::Kind::fixed || !clean(ev[1].version))) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace patchparty;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::uint64_t n = 0;
  auto r = feeds::parse_dsa_list(text, [&](Advisory&& a) -> Result<> {
    check(a);
    ++n;
    return {};
  });
  if (r && r->records != n) std::abort();
  return 0;
}
