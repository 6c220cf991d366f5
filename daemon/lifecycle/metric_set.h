// Every metric family patchpartyd serves, each set owned by the component that fills it and
// built here on the one registry /metrics serves. A set whose families cannot be built is
// logged and left null; the daemon runs on without those series.
#pragma once

#include <prometheus/registry.h>

#include <memory>

#include "collectors/health/health_metrics.h"
#include "daemon/lifecycle/daemon_metrics.h"
#include "daemon/patch_watch/rollback_metrics.h"
#include "exporters/alertmanager/alert_metrics.h"
#include "exporters/prometheus/store_metrics.h"

namespace patchparty::lifecycle {

struct MetricSet {
  std::shared_ptr<prometheus::Registry> registry;
  std::unique_ptr<DaemonMetrics> daemon;
  std::unique_ptr<exporters::StoreMetrics> store;
  std::unique_ptr<health::HealthMetrics> health;
  std::unique_ptr<exporters::AlertMetrics> alerts;
  std::unique_ptr<patch_watch::RollbackMetrics> rollbacks;

  static MetricSet build();
};

}  // namespace patchparty::lifecycle
