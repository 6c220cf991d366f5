// An osv feed whose url is an ecosystem's folder of OSV's bucket ("…/PyPI/"): the first sync loads
// all.zip, later ones only the records modified_id.csv says changed since the cursor, applied in
// place. It falls back to all.zip, and says why, when there is no cursor, the index cannot be read
// or does not reach back to the cursor, more than `max_changed_share` of the records changed, or
// a changed record cannot be fetched (after the fetcher's retries).
#pragma once

#include "collectors/feeds/feed.h"

namespace patchparty::feeds {

class OsvBucketFeed final : public FeedFromConfig {
 public:
  using FeedFromConfig::FeedFromConfig;
  // RefreshResult::validators carries the new cursor (RFC 3339, the newest `modified` applied)
  // and sync_mode "incremental", "full", or "full (fallback: why)".
  [[nodiscard]] Result<RefreshResult> refresh(Fetcher& fetcher, const FetchState& previous,
                                              const FeedSinks& sinks,
                                              std::stop_token stop) override;

 private:
  [[nodiscard]] Result<RefreshResult> full(Fetcher& fetcher, const FetchState& previous,
                                           const FeedSinks& sinks, std::stop_token stop,
                                           std::string mode, std::uint64_t bytes_so_far);
  FetchOptions options() const;
};

}  // namespace patchparty::feeds
