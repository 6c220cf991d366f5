// The running health monitor, replaced on SIGHUP while API requests and the watch engine may
// be reading it.
#pragma once

#include <memory>
#include <mutex>

#include "collectors/health/health_metrics.h"
#include "collectors/health/health_monitor.h"
#include "config/health_config.h"

namespace patchparty::lifecycle {

// Started monitor for `c`; null when no checks are configured or they cannot be built (logged).
std::unique_ptr<health::HealthMonitor> start_health(const config::HealthConfig& c,
                                                    health::HealthMetrics* metrics);

class HealthHolder {
 public:
  std::shared_ptr<health::HealthMonitor> get() const;
  // Stops the old monitor; requests still holding it read its last state.
  void replace(std::unique_ptr<health::HealthMonitor> next);

 private:
  mutable std::mutex mu_;
  std::shared_ptr<health::HealthMonitor> monitor_;
};

}  // namespace patchparty::lifecycle
