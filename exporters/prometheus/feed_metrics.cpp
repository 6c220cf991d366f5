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
                 .Help("Records the feed currently holds in the store (advisories, KEV entries, "
                       "EPSS or CVSS scores).")),
      download_bytes_(prometheus::BuildCounter()
                          .Name("patchparty_feed_download_bytes_total")
                          .Help("Bytes the feed's successful refreshes downloaded (every request "
                                "of a refresh: an incremental sync's index and records, or a "
                                "whole file).")
                          .Register(r)) {}

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
    // The store's total only grows; the first sight counts it whole, as for failures, and a
    // smaller total (a restored backup) starts the count again.
    auto& bytes = download_bytes_.Add(l);
    std::int64_t& bytes_seen = bytes_seen_[f.feed];
    const std::int64_t new_bytes =
        f.download_bytes >= bytes_seen ? f.download_bytes - bytes_seen : f.download_bytes;
    if (new_bytes > 0) bytes.Increment(static_cast<double>(new_bytes));
    bytes_seen = f.download_bytes;
  }
  last_success_.replace(last_success);
  advisories_.replace(advisories);
  return {};
}

}  // namespace patchparty::exporters
