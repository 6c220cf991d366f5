// An advisory or enrichment feed: fetches its source and streams normalised records into sinks
// that the store owns (its open transaction). A feed never touches the store itself.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/feeds/fetcher.h"
#include "config/config.h"
#include "core/base/result.h"
#include "core/model/model.h"

namespace patchparty::feeds {

// Each sink returns an error to abort the refresh (the store then rolls back).
struct FeedSinks {
  std::function<Result<>(Advisory&&)> advisory;
  std::function<Result<>(KevEntry&&)> kev;
  std::function<Result<>(EpssScore&&)> epss;
  std::function<Result<>(CveScores&&)> scores;
  // Called before any record by a feed that sends only what changed: the feed's other rows stay
  // (store::WriteMode::update). Without it, what the feed sends replaces all it held.
  std::function<Result<>()> update_in_place;
  // After update_in_place: drop the advisory with this id, to be sent again or no longer kept.
  std::function<Result<>(std::string&&)> forget_advisory;
  ProgressFn progress;  // download, then parse, progress in bytes or records
};

// What a parser reports besides the records it handed over.
struct ReadStats {
  std::uint64_t records = 0;
  std::uint64_t skipped = 0;                  // unusable or filtered-out entries
  std::vector<std::string> skipped_examples;  // the first few reasons, for the log
};

enum class Refresh { updated, not_modified };

struct RefreshResult {
  Refresh status = Refresh::updated;
  FetchState validators;  // store them (and the cursor) only once the refresh has been committed
  std::string sync_mode;  // "full", "incremental", "full (fallback: why)"; empty: not told
  ReadStats stats;
  std::uint64_t bytes = 0;  // downloaded, every request of the refresh together
  int attempts = 0;
};

class Feed {
 public:
  virtual ~Feed() = default;
  virtual std::string_view name() const = 0;  // config id: {feed} label, download file name
  virtual std::string_view kind() const = 0;  // "osv", "debian-tracker", "kev", ...
  virtual const config::FeedConfig& config() const = 0;
  // On error the caller rolls back everything the sinks received, so the last good data stays.
  [[nodiscard]] virtual Result<RefreshResult> refresh(Fetcher& fetcher, const FetchState& previous,
                                                      const FeedSinks& sinks,
                                                      std::stop_token stop) = 0;
};

// A feed made from one config section: the accessors every such feed shares.
class FeedFromConfig : public Feed {
 public:
  explicit FeedFromConfig(config::FeedConfig config) : config_(std::move(config)) {}
  std::string_view name() const override { return config_.name; }
  std::string_view kind() const override { return config_.kind; }
  const config::FeedConfig& config() const override { return config_; }

 protected:
  config::FeedConfig config_;
};

}  // namespace patchparty::feeds
