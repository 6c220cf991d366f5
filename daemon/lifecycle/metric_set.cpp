#include "daemon/lifecycle/metric_set.h"

#include <utility>

#include "core/base/log.h"

namespace patchparty::lifecycle {

namespace {

template <class T>
std::unique_ptr<T> built(Result<std::unique_ptr<T>> r) {
  if (!r) {
    log::error(r.error().to_string());
    return nullptr;
  }
  return std::move(*r);
}

}  // namespace

MetricSet MetricSet::build() {
  MetricSet m;
  m.registry = std::make_shared<prometheus::Registry>();
  auto& r = *m.registry;
  m.daemon = built(DaemonMetrics::create(r));
  m.store = built(exporters::StoreMetrics::create(r));
  m.health = built(health::HealthMetrics::create(r));
  m.alerts = built(exporters::AlertMetrics::create(r));
  m.rollbacks = built(patch_watch::RollbackMetrics::create(r));
  return m;
}

}  // namespace patchparty::lifecycle
