#include "exporters/prometheus/store_metrics.h"

#include <string>

#include "core/base/checked_new.h"
#include "core/store/finding_tables.h"
#include "core/store/restart_store.h"

namespace patchparty::exporters {

StoreMetrics::StoreMetrics(prometheus::Registry& registry)
    : feeds_(registry),
      inventory_(registry),
      findings_(registry),
      party_(registry),
      restart_(registry) {}

Result<std::unique_ptr<StoreMetrics>> StoreMetrics::create(prometheus::Registry& registry) {
  return checked_new<StoreMetrics>("metrics", [&] { return new StoreMetrics(registry); });
}

Result<> StoreMetrics::update(store::Store& store, const config::Config& config, std::int64_t now) {
  auto& db = store.database();
  PP_CHECK(feeds_.update(db));
  PP_CHECK(inventory_.update(store));
  PP_TRY(findings, store::load_findings(db));
  findings_.update(findings, config, now);
  PP_CHECK(party_.update(findings, config, now));
  PP_TRY(report, restart::load_restart_report(db));
  restart_.set(config.restart.enabled && report ? &*report : nullptr,
               config.restart.metrics_unit_limit);
  return {};
}

}  // namespace patchparty::exporters
