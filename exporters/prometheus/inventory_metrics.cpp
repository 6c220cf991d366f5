#include "exporters/prometheus/inventory_metrics.h"

#include <map>
#include <set>
#include <string>
#include <utility>

namespace patchparty::exporters {

InventoryMetrics::InventoryMetrics(prometheus::Registry& r)
    : packages_(
          r,
          prometheus::BuildGauge()
              .Name("patchparty_inventory_packages")
              .Help(
                  "Installed packages in the newest successful snapshot of each inventory source, "
                  "summed over projects.")) {}

Result<> InventoryMetrics::update(store::Store& store) {
  // Snapshots come newest first, so the first successful one of each (source, project) is the
  // current one.
  store::SnapshotFilter all;
  all.limit = 0;
  PP_TRY(snapshots, store.snapshots(all));
  std::set<std::pair<std::string, std::string>> counted;
  std::map<prometheus::Labels, double> packages;
  for (const auto& s : snapshots) {
    if (!s.ok || !counted.emplace(s.source, s.project).second) continue;
    packages[{{"source", s.source}}] += static_cast<double>(s.package_count);
  }
  packages_.replace(packages);
  return {};
}

}  // namespace patchparty::exporters
