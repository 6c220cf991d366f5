// libFuzzer entry for parse_debian_tracker: any bytes. Besides "no crash", it checks what the
// reader promises its callers about every advisory it emits.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/feeds/debian_tracker.h"
#include "tests/fuzz/reader_promises.h"

namespace {

using patchparty::fuzz::word;

void check(const patchparty::Advisory& a) {
  using patchparty::FixStatus;
  if (!word(a.id) || a.feed != "debian-tracker" || a.affected.empty()) std::abort();
  for (const auto& s : a.severity)
    if (s.type != "urgency" || s.score.empty() || s.score == "end-of-life") std::abort();
  for (const auto& af : a.affected) {
    if (!patchparty::fuzz::debian_affected_ok(af)) std::abort();
    // The tracker never calls "0" a fix.
    if (af.fix_status == FixStatus::fixed && af.ranges[0].events[1].version == "0") std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace patchparty;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto [r, all] = fuzz::parse_checked(
      [&](auto sink) { return feeds::parse_debian_tracker(text, {}, sink); }, check);

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
