// libFuzzer entry for parse_friendsofphp_advisory: any bytes. yaml-cpp throws and recurses, so
// this is where an escaping exception or a stack overflow would show. Besides "no crash", it
// checks the shape of what the parser hands on.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/feeds/friendsofphp.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  auto a = patchparty::feeds::parse_friendsofphp_advisory(yaml, "acme/widget/fuzz.yaml");
  if (!a) {
    const auto code = a.error().code;
    if (code != patchparty::Errc::data_loss && code != patchparty::Errc::invalid_argument &&
        code != patchparty::Errc::resource_exhausted)
      std::abort();
    return 0;
  }
  if (a->id.empty() || a->feed != "friendsofphp" || a->summary.empty() || a->affected.size() != 1)
    std::abort();
  const auto& af = a->affected[0];
  if (af.ecosystem != "Packagist" || af.name.find('/') == std::string::npos ||
      af.native_ranges.empty() || af.ranges.size() > af.native_ranges.size())
    std::abort();
  if (af.fix_status != patchparty::FixStatus::fixed &&
      af.fix_status != patchparty::FixStatus::unfixed)
    std::abort();
  for (const auto& r : af.ranges) {
    if (r.events.empty() || r.events.size() > 2 ||
        r.events[0].kind != patchparty::RangeEvent::Kind::introduced)
      std::abort();
    for (const auto& e : r.events)
      if (e.version.empty()) std::abort();
  }
  for (const auto& n : af.native_ranges)
    if (n.empty() || n.find('|') != std::string::npos) std::abort();
  return 0;
}
