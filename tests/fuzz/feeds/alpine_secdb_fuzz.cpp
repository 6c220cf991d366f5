// libFuzzer entry for parse_alpine_secdb: any bytes. Besides "no crash", it checks what the
// reader promises its callers about every advisory it emits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/feeds/alpine_secdb.h"
#include "tests/fuzz/reader_promises.h"

namespace {

using patchparty::fuzz::word;

void check(const patchparty::Advisory& a) {
  using patchparty::FixStatus;
  using patchparty::RangeEvent;
  if (!word(a.id) || a.feed != "alpine-secdb" || a.affected.size() != 1) std::abort();
  for (const auto& alias : a.aliases)
    if (!word(alias) || alias == a.id) std::abort();
  const auto& af = a.affected[0];
  if (!std::string_view(af.ecosystem).starts_with("Alpine:") || !word(af.ecosystem) ||
      !word(af.name) || af.fix_status != FixStatus::fixed || af.ranges.empty())
    std::abort();
  for (const auto& r : af.ranges) {
    if (r.events.size() != 2 || r.events[0].kind != RangeEvent::Kind::introduced ||
        r.events[0].version != "0" || r.events[1].kind != RangeEvent::Kind::fixed ||
        !word(r.events[1].version) || r.events[1].version == "0")
      std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace patchparty;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  fuzz::parse_checked([&](auto sink) { return feeds::parse_alpine_secdb(text, sink); }, check);
  return 0;
}
