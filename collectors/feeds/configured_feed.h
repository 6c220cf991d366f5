// The one Feed implementation: fetch the configured URL, then hand the result to the kind's
// reader. What differs between kinds is only the reader (builtin_feeds.cpp).
#pragma once

#include "collectors/feeds/feed.h"

namespace patchparty::feeds {

// Parses a fetched source (a file or a directory) into the sinks.
using FeedReader = std::function<Result<ReadStats>(
    const FetchResult& fetched, const config::FeedConfig& config, const FeedSinks& sinks)>;

class ConfiguredFeed final : public FeedFromConfig {
 public:
  ConfiguredFeed(config::FeedConfig config, FeedReader reader)
      : FeedFromConfig(std::move(config)), reader_(std::move(reader)) {}
  [[nodiscard]] Result<RefreshResult> refresh(Fetcher& fetcher, const FetchState& previous,
                                              const FeedSinks& sinks,
                                              std::stop_token stop) override;

 private:
  FeedReader reader_;
};

}  // namespace patchparty::feeds
