// The whole input is one cron expression, read in three zones (none, one European and one
// American DST rule). Whatever parses must keep the search contract at instants chosen around
// DST changes: next_after is strictly later, last_at_or_before is not later, and both agree on
// every firing they return. Nothing may crash or hang.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/party/cron_schedule.h"

using patchparty::party::CronSchedule;

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view expr(reinterpret_cast<const char*>(data), size);
  constexpr std::int64_t kInstants[] = {
      0,
      1774745999,  // 2026-03-29 00:59:59Z, a second before Paris springs forward
      1792888200,  // 2026-10-25 00:30Z, 02:30 CEST, inside the first pass of the Paris overlap
      1793515200,  // 2026-11-01 06:40Z, 01:40 EST, inside the second pass in New York
      951782400,   // 2000-02-29 00:00Z
  };
  for (std::string_view zone : {"UTC", "Europe/Paris", "America/New_York"}) {
    auto s = CronSchedule::parse(expr, zone);
    if (!s) continue;
    (void)s->describe();
    check(CronSchedule::parse(s->expression(), zone).has_value());
    for (std::int64_t t : kInstants) {
      if (auto next = s->next_after(t)) {
        check(*next > t);
        check(s->last_at_or_before(*next) == next);
        check(s->next_after(*next - 1) == next);
      }
      if (auto last = s->last_at_or_before(t)) {
        check(*last <= t);
        check(s->next_after(*last - 1) == last);
      }
    }
  }
  return 0;
}
