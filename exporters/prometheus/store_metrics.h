// The families patchpartyd computes from the store: feeds, inventory, findings, the party and
// its backlog, restart needed. The store belongs to the worker thread, so the worker refreshes
// them after each job rather than at scrape time; scrapes read the registry from civetweb's
// threads, and prometheus-cpp locks each family, so a scrape sees every value either before or
// after an update of that family, never a torn one.
#pragma once

#include <prometheus/registry.h>

#include <cstdint>
#include <memory>

#include "config/config.h"
#include "core/base/result.h"
#include "core/store/store.h"
#include "exporters/prometheus/feed_metrics.h"
#include "exporters/prometheus/finding_metrics.h"
#include "exporters/prometheus/inventory_metrics.h"
#include "exporters/prometheus/party_metrics.h"
#include "exporters/prometheus/restart_metrics.h"

namespace patchparty::exporters {

class StoreMetrics {
 public:
  // Builds every family on `registry`, which must outlive this; a bad metric or label name is
  // internal (a bug), reported here rather than at the first scrape.
  [[nodiscard]] static Result<std::unique_ptr<StoreMetrics>> create(prometheus::Registry& registry);

  // Recomputes every family from the store as of `now` (unix seconds). Counters only grow:
  // feed failures are counted from the store's consecutive-failure count as it changes.
  [[nodiscard]] Result<> update(store::Store& store, const config::Config& config,
                                std::int64_t now);

 private:
  explicit StoreMetrics(prometheus::Registry& registry);

  FeedMetrics feeds_;
  InventoryMetrics inventory_;
  FindingMetrics findings_;
  PartyMetrics party_;
  RestartMetrics restart_;
};

}  // namespace patchparty::exporters
