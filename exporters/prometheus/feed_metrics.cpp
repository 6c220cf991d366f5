#include "exporters/prometheus/feed_metrics.h"

#include "core/store/advisory_tables.h"

namespace patchparty::exporters {

FeedMetrics::FeedMetrics(prometheus::Registry& r)
    : last_success_(
          r, prometheus::BuildGauge()
                 .Name("patchparty_feed_last_success_timestamp_seconds")
                 .Help("When the feed last refreshed successfully (unix seconds); absent until its "
                       "first success.")),
      failures_(prometheus::BuildCounter()
                    .Name("patchparty_feed_fetch_failures_total")
                    .Help("Failed refreshes of the feed (download or parse); the feed's "
                          "previous data stays in use.")
                    .Register(r)),
      advisories_(
          r, prometheus::BuildGauge()
                 .Name("patchparty_feed_advisories")
                 .Help("Records the feed currently holds in the store (advisories, KEV entries or "
                       "EPSS scores).")) {}

Result<> FeedMetrics::update(store::Database& db) {
  PP_TRY(feeds, store::feed_statuses(db));
  std::map<prometheus::Labels, double> last_success, advisories;
  for (const auto& f : feeds) {
    prometheus::Labels l{{"feed", f.feed}};
    if (f.last_success_at > 0) last_success[l] = static_cast<double>(f.last_success_at);
    advisories[l] = static_cast<double>(f.record_count);
    // The store keeps consecutive failures, reset by a success. Growth is new failures; a drop
    // means a success came in between, after which the current count is all new. Failures
    // before this process started count once, at first sight, so a feed that has been failing
    // since before a restart does not read as healthy.
    auto& counter = failures_.Add(l);
    std::int64_t& seen = failures_seen_[f.feed];  // 0 at first sight
    const std::int64_t added = f.failures >= seen ? f.failures - seen : f.failures;
    if (added > 0) counter.Increment(static_cast<double>(added));
    seen = f.failures;
  }
  last_success_.replace(last_success);
  advisories_.replace(advisories);
  return {};
}

}  // namespace patchparty::exporters
