// "nvd": CVSS base scores per CVE from NVD, for findings whose records carry none
// (docs/risk-and-backlog.md says which score wins). Two sources:
//   - the CVE API 2.0 (an http(s) url): the first sync pages through every CVE and replaces the
//     feed's rows; later ones ask only for the CVEs modified since the cursor, in windows of at
//     most 120 days, and update those in place. The cursor is the sync's start, less an overlap;
//   - files (file:// or a path): one file in the API's JSON form or a folder of them
//     (nvd_files.h), read whole each time, replacing the feed's rows.
#pragma once

#include <chrono>

#include "collectors/feeds/feed.h"
#include "collectors/feeds/feed_kind.h"
#include "collectors/feeds/nvd_cve.h"
#include "core/model/model.h"

namespace patchparty::feeds {

// The cursor is set this long before the sync started: a CVE NVD modified just before, but
// published to the API a little later, or a clock a little ahead of NVD's, is then read again
// next time rather than never. Reading a CVE twice costs nothing: its rows are replaced.
inline constexpr std::chrono::seconds kNvdCursorOverlap{std::chrono::hours(1)};

// What the store keeps of one CVE: the preferred score (preferred_score) first, then every other
// metric in the page's order: v3.1, v3.0 and v2, NVD's and the CNA's alike. No metrics: none.
CveScores nvd_cve_scores(const NvdCve& cve);

// The pause between two API requests: request_interval when set, else what NVD asks for (6 s
// without an API key, 600 ms with one).
std::chrono::milliseconds nvd_request_interval(const config::FeedConfig& config);

class NvdFeed final : public FeedFromConfig {
 public:
  using FeedFromConfig::FeedFromConfig;
  // sync_mode "full", "incremental" or "full (fallback: unreadable cursor)"; validators.cursor is
  // the new cursor (RFC 3339). The fetcher is not used: API pages are read into memory.
  [[nodiscard]] Result<RefreshResult> refresh(Fetcher& fetcher, const FetchState& previous,
                                              const FeedSinks& sinks,
                                              std::stop_token stop) override;
};

// "nvd" (register_builtin_feeds): NvdFeed for http(s) urls, the file reader otherwise.
FeedKind nvd_feed_kind();

}  // namespace patchparty::feeds
