#include "collectors/health/health_metrics.h"
#include "core/base/checked_new.h"

#include <chrono>
#include <string>

namespace patchparty::health {

HealthMetrics::HealthMetrics(prometheus::Registry& r)
    : up_(prometheus::BuildGauge()
              .Name("patchparty_health_check_up")
              .Help("1 when the health check's last probe was healthy, 0 otherwise.")
              .Register(r)),
      latency_(prometheus::BuildGauge()
                   .Name("patchparty_health_check_latency_seconds")
                   .Help("How long the health check's last probe took.")
                   .Register(r)),
      backup_age_(prometheus::BuildGauge()
                      .Name("patchparty_backup_age_seconds")
                      .Help("Age of the newest backup (the file's mtime) a file-based backup "
                            "check watches, as of its last probe.")
                      .Register(r)) {}

Result<std::unique_ptr<HealthMetrics>> HealthMetrics::create(prometheus::Registry& registry) {
  return checked_new<HealthMetrics>("health metrics", [&] { return new HealthMetrics(registry); });
}

void HealthMetrics::record(std::string_view check, const Probe& probe, bool backup_age) {
  const prometheus::Labels labels{{"check", std::string(check)}};
  up_.Add(labels).Set(probe.healthy ? 1 : 0);
  latency_.Add(labels).Set(std::chrono::duration<double>(probe.latency).count());
  if (backup_age && probe.value) backup_age_.Add(labels).Set(*probe.value);
}

void HealthMetrics::remove(std::string_view check) {
  const prometheus::Labels labels{{"check", std::string(check)}};
  for (auto* family : {&up_, &latency_, &backup_age_}) {
    if (family->Has(labels)) family->Remove(&family->Add(labels));
  }
}

}  // namespace patchparty::health
