// The inventory's families: packages in the newest good snapshot of each source, and whether
// each source's newest attempt succeeded (a host database whose ecosystem cannot be told, an
// unreadable lockfile: 0 until it reads again), and the host packages each third party's
// repository supplies (apt lists: collectors/inventory/apt_lists.h).
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
  GaugeSeries up_;
  GaugeSeries third_party_;
};

}  // namespace patchparty::exporters
