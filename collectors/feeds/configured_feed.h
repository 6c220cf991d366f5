// The one Feed implementation: fetch the configured URL, then hand the result to the kind's
// reader. What differs between kinds is only the reader (builtin_feeds.cpp).
#pragma once

#include "collectors/feeds/feed.h"

namespace patchparty::feeds {

// Parses a fetched source (a file or a directory) into the sinks.
using FeedReader = std::function<Result<ReadStats>(
    const FetchResult& fetched, const config::FeedConfig& config, const FeedSinks& sinks)>;

class ConfiguredFeed final : public Feed {
 public:
  ConfiguredFeed(config::FeedConfig config, FeedReader reader)
      : config_(std::move(config)), reader_(std::move(reader)) {}
  std::string_view name() const override { return config_.name; }
  std::string_view kind() const override { return config_.kind; }
  const config::FeedConfig& config() const override { return config_; }
  [[nodiscard]] Result<RefreshResult> refresh(Fetcher& fetcher, const FetchState& previous,
                                              const FeedSinks& sinks,
                                              std::stop_token stop) override;

 private:
  config::FeedConfig config_;
  FeedReader reader_;
};

}  // namespace patchparty::feeds
