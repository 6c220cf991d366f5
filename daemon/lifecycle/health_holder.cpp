#include "daemon/lifecycle/health_holder.h"

#include <string>
#include <utility>

#include "core/base/log.h"

namespace patchparty::lifecycle {

std::unique_ptr<health::HealthMonitor> start_health(const config::HealthConfig& c,
                                                    health::HealthMetrics* metrics) {
  if (c.checks.empty()) return nullptr;
  auto monitor = health::HealthMonitor::from_config(c, metrics);
  if (!monitor) {
    log::error("health: " + monitor.error().to_string());
    return nullptr;
  }
  (*monitor)->start();
  log::notice("health: " + std::to_string(c.checks.size()) + " check(s) running");
  return std::move(*monitor);
}

std::shared_ptr<health::HealthMonitor> HealthHolder::get() const {
  std::lock_guard lock(mu_);
  return monitor_;
}

void HealthHolder::replace(std::unique_ptr<health::HealthMonitor> next) {
  std::shared_ptr<health::HealthMonitor> old;
  {
    std::lock_guard lock(mu_);
    old = std::exchange(monitor_, nullptr);
  }
  if (old) old->stop();
  std::lock_guard lock(mu_);
  monitor_ = std::move(next);
}

}  // namespace patchparty::lifecycle
