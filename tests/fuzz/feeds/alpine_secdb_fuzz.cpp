// libFuzzer entry for parse_alpine_secdb: any bytes. Besides "no crash", it checks what the
// reader promises its callers about every advisory it emits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/feeds/alpine_secdb.h"

namespace {

bool clean(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return false;
  return true;
}

void check(const patchparty::Advisory& a) {
  using patchparty::FixStatus;
  using patchparty::RangeEvent;
  if (!clean(a.id) || a.feed != "alpine-secdb" || a.affected.size() != 1) std::abort();
  for (const auto& alias : a.aliases)
    if (!clean(alias) || alias == a.id) std::abort();
  const auto& af = a.affected[0];
  if (!std::string_view(af.ecosystem).starts_with("Alpine:") || !clean(af.ecosystem) ||
      !clean(af.name) || af.fix_status != FixStatus::fixed || af.ranges.empty())
    std::abort();
  for (const auto& r : af.ranges) {
    if (r.events.size() != 2 || r.events[0].kind != RangeEvent::Kind::introduced ||
        r.events[0].version != "0" || r.events[1].kind != RangeEvent::Kind::fixed ||
        !clean(r.events[1].version) || r.events[1].version == "0")
      std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace patchparty;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::uint64_t n = 0;
  auto r = feeds::parse_alpine_secdb(text, [&](Advisory&& a) -> Result<> {
    check(a);
    ++n;
    return {};
  });
  if (r && r->records != n) std::abort();
  return 0;
}
