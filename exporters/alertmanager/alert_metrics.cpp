#include "exporters/alertmanager/alert_metrics.h"
#include "core/base/checked_new.h"

#include <string>

namespace patchparty::exporters {

AlertMetrics::AlertMetrics(prometheus::Registry& r)
    : sent_(prometheus::BuildCounter()
                .Name("patchparty_alerts_sent_total")
                .Help("Alert batches posted to Alertmanager, by outcome.")
                .Register(r)) {
  // Both outcomes from the start, so "failures / all" has a denominator and a rule on failures
  // sees the first one as an increase from zero.
  sent_.Add({{"outcome", "success"}});
  sent_.Add({{"outcome", "failure"}});
}

Result<std::unique_ptr<AlertMetrics>> AlertMetrics::create(prometheus::Registry& registry) {
  return checked_new<AlertMetrics>("alert metrics", [&] { return new AlertMetrics(registry); });
}

void AlertMetrics::count_sent(std::string_view outcome) {
  sent_.Add({{"outcome", std::string(outcome)}}).Increment();
}

}  // namespace patchparty::exporters
