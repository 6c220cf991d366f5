// An advisory or enrichment feed: fetches its source and streams normalised records into sinks
// that the store owns (its open transaction). A feed never touches the store itself.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "collectors/feeds/fetcher.h"
#include "daemon/model.h"
#include "daemon/result.h"

namespace patchparty::feeds {

// Each sink returns an error to abort the refresh (the store then rolls back).
struct FeedSinks {
  std::function<Result<>(Advisory&&)> advisory;
  std::function<Result<>(KevEntry&&)> kev;
  std::function<Result<>(EpssScore&&)> epss;
  ProgressFn progress;  // parse progress over the downloaded bytes
};

enum class Refresh { updated, not_modified };

class Feed {
 public:
  virtual ~Feed() = default;
  virtual std::string_view name() const = 0;  // config id: {feed} label, download file name
  virtual std::string_view kind() const = 0;  // "osv", "debian-tracker", "kev", ...
  // On error the caller rolls back everything the sinks received, so the last good data stays.
  [[nodiscard]] virtual Result<Refresh> refresh(Fetcher& fetcher, FetchState& state,
                                                const FeedSinks& sinks) = 0;
};

}  // namespace patchparty::feeds
