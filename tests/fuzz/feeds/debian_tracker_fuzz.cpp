// libFuzzer entry for parse_debian_tracker: any bytes. Besides "no crash", it checks what the
// reader promises its callers about every advisory it emits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/feeds/debian_tracker.h"

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
  if (!clean(a.id) || a.feed != "debian-tracker" || a.affected.empty()) std::abort();
  for (const auto& s : a.severity)
    if (s.type != "urgency" || s.score.empty() || s.score == "end-of-life") std::abort();
  for (const auto& af : a.affected) {
    if (!std::string_view(af.ecosystem).starts_with("Debian:") || !clean(af.name)) std::abort();
    if (af.ranges.size() != 1) std::abort();
    const auto& ev = af.ranges[0].events;
    if (ev.empty() || ev[0].kind != RangeEvent::Kind::introduced || ev[0].version != "0")
      std::abort();
    bool fixed = af.fix_status == FixStatus::fixed;
    if (ev.size() != (fixed ? 2u : 1u)) std::abort();
    if (fixed &&
        (ev[1].kind != RangeEvent::Kind::fixed || !clean(ev[1].version) || ev[1].version == "0"))
      std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace patchparty;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::uint64_t all = 0;
  auto r = feeds::parse_debian_tracker(text, {}, [&](Advisory&& a) -> Result<> {
    check(a);
    ++all;
    return {};
  });
  if (r && r->records != all) std::abort();

  // Keeping one release never emits more, and never another release.
  feeds::DebianTrackerOptions one;
  one.releases = {"bookworm"};
  std::uint64_t some = 0;
  auto r1 = feeds::parse_debian_tracker(text, one, [&](Advisory&& a) -> Result<> {
    check(a);
    for (const auto& af : a.affected)
      if (af.ecosystem != "Debian:12") std::abort();
    ++some;
    return {};
  });
  if (r.has_value() != r1.has_value()) std::abort();
  if (r && some > all) std::abort();
  return 0;
}
