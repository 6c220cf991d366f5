// The feeds' families: when each last refreshed, how many records it holds, its failures and the
// bytes it downloaded, read from the store's feed state after each job.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <map>
#include <string>

#include "core/base/result.h"
#include "core/store/sqlite_db.h"
#include "exporters/prometheus/gauge_series.h"

namespace patchparty::exporters {

class FeedMetrics {
 public:
  explicit FeedMetrics(prometheus::Registry& registry);
  [[nodiscard]] Result<> update(store::Database& db);

 private:
  // Declared in the order the families are registered, which is the order /metrics shows.
  GaugeSeries last_success_;
  prometheus::Family<prometheus::Counter>& failures_;
  GaugeSeries advisories_;
  prometheus::Family<prometheus::Counter>& download_bytes_;
  std::map<std::string, std::int64_t> failures_seen_;  // feed -> consecutive failures last seen
  std::map<std::string, std::int64_t> bytes_seen_;     // feed -> the store's byte total last seen
};

}  // namespace patchparty::exporters
