#include "exporters/prometheus/restart_metrics.h"

#include <algorithm>
#include <map>

namespace patchparty::exporters {

RestartMetrics::RestartMetrics(prometheus::Registry& r)
    // node_exporter's textfile recipe exports /run/reboot-required as node_reboot_required;
    // same file, same meaning, so dashboards and rules written for one read the other.
    : reboot_required_(
          r, prometheus::BuildGauge()
                 .Name("patchparty_reboot_required")
                 .Help("1 when /run/reboot-required exists (a package asked for a reboot), 0 "
                       "otherwise.")),
      units_(
          r,
          prometheus::BuildGauge()
              .Name("patchparty_restart_required_units")
              .Help("Service units with a process still running a deleted or replaced library or "
                    "executable.")),
      unit_(
          r,
          prometheus::BuildGauge()
              .Name("patchparty_restart_required")
              .Help(
                  "1 for each service unit that needs a restart (up to restart.metrics_unit_limit "
                  "units, by name).")),
      units_omitted_(r,
                     prometheus::BuildGauge()
                         .Name("patchparty_restart_required_units_omitted")
                         .Help("Units needing a restart left out of patchparty_restart_required by "
                               "restart.metrics_unit_limit.")),
      processes_(
          r, prometheus::BuildGauge()
                 .Name("patchparty_restart_required_processes")
                 .Help("Processes still running a deleted or replaced library or executable, in "
                       "service units or not.")) {}

void RestartMetrics::set(const RestartReport* report, std::int64_t unit_limit) {
  std::map<prometheus::Labels, double> reboot, units, unit, omitted, processes;
  if (report) {
    reboot[{}] = report->reboot_required ? 1 : 0;
    units[{}] = static_cast<double>(report->units.size());
    processes[{}] = static_cast<double>(report->stale_processes);
    // Units come sorted by name, so the cap keeps the same ones from check to check.
    const auto limit = static_cast<std::size_t>(std::max<std::int64_t>(0, unit_limit));
    for (std::size_t i = 0; i < report->units.size() && i < limit; ++i)
      unit[{{"unit", report->units[i].unit}}] = 1;
    omitted[{}] =
        static_cast<double>(report->units.size() > limit ? report->units.size() - limit : 0);
  }
  reboot_required_.replace(reboot);
  units_.replace(units);
  unit_.replace(unit);
  units_omitted_.replace(omitted);
  processes_.replace(processes);
}

}  // namespace patchparty::exporters
