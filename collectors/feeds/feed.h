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
  FetchState validators;  // store them only once the refresh has been committed
  ReadStats stats;
  std::uint64_t bytes = 0;
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

}  // namespace patchparty::feeds
