// One feed refresh against the store: fetch, parse into one transaction that replaces the feed's
// rows, record the outcome. Any failure rolls back, so the last good rows stay and the error is
// recorded in feed_state.
#pragma once

#include <stop_token>
#include <string>
#include <vector>

#include "collectors/feeds/feed.h"
#include "collectors/inventory/inventory_plan.h"
#include "config/config.h"
#include "core/store/store.h"

namespace patchparty::lifecycle {

struct FeedRunOutcome {
  feeds::Refresh status = feeds::Refresh::updated;
  std::int64_t records = 0;
  std::int64_t skipped = 0;
  double seconds = 0;
  std::uint64_t bytes = 0;  // downloaded by the refresh, every request together
  std::string sync_mode;    // as the feed told it (feeds::RefreshResult::sync_mode)
};

[[nodiscard]] Result<FeedRunOutcome> run_feed(feeds::Feed& feed, feeds::Fetcher& fetcher,
                                              store::Store& store, std::stop_token stop,
                                              const feeds::ProgressFn& progress = {});

// The configured feeds, or the defaults for what this host and its projects have.
std::vector<config::FeedConfig> effective_feeds(const config::Config& config,
                                                const inventory::InventoryPlan& plan);

std::string user_agent();

}  // namespace patchparty::lifecycle
