#include "exporters/prometheus/inventory_metrics.h"

#include <map>
#include <set>
#include <string>
#include <utility>

namespace patchparty::exporters {

InventoryMetrics::InventoryMetrics(prometheus::Registry& r)
    : packages_(r, prometheus::BuildGauge()
                       .Name("patchparty_inventory_packages")
                       .Help("Installed packages in the newest successful snapshot of each "
                             "inventory source, summed over projects.")),
      up_(r, prometheus::BuildGauge()
                 .Name("patchparty_inventory_source_up")
                 .Help("1 when the newest attempt to read an inventory source (per project for "
                       "lockfiles) succeeded, 0 when it failed.")),
      third_party_(r, prometheus::BuildGauge()
                          .Name("patchparty_inventory_third_party_packages")
                          .Help("Installed host packages whose version only a third party's "
                                "repository holds, by that repository's Origin: the "
                                "distribution's fixes do not apply to them.")) {}

Result<> InventoryMetrics::update(store::Store& store) {
  // Snapshots come newest first, so the first successful one of each (source, project) is the
  // current one.
  store::SnapshotFilter all;
  all.limit = 0;
  PP_TRY(snapshots, store.snapshots(all));
  std::set<std::pair<std::string, std::string>> counted, attempted;
  std::map<prometheus::Labels, double> packages, up;
  for (const auto& s : snapshots) {
    if (attempted.emplace(s.source, s.project).second)
      up[{{"source", s.source}, {"project", s.project}}] = s.ok ? 1 : 0;
    if (!s.ok || !counted.emplace(s.source, s.project).second) continue;
    packages[{{"source", s.source}}] += static_cast<double>(s.package_count);
  }
  packages_.replace(packages);
  up_.replace(up);

  PP_TRY(installed, store.latest_inventory());
  std::map<prometheus::Labels, double> third_party;
  for (const Package& p : installed) {
    if (p.third_party) third_party[{{"supplier", p.supplier}}] += 1;
  }
  third_party_.replace(third_party);
  return {};
}

}  // namespace patchparty::exporters
