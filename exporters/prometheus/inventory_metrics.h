// The inventory's family: packages in the newest good snapshot of each source.
#pragma once

#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include "core/base/result.h"
#include "core/store/store.h"
#include "exporters/prometheus/gauge_series.h"

namespace patchparty::exporters {

class InventoryMetrics {
 public:
  explicit InventoryMetrics(prometheus::Registry& registry);
  [[nodiscard]] Result<> update(store::Store& store);

 private:
  GaugeSeries packages_;
};

}  // namespace patchparty::exporters
