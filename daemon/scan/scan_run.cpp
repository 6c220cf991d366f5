#include "daemon/scan/scan_run.h"

#include <unistd.h>

#include <chrono>

#include "core/risk/risk_score.h"

namespace patchparty::scan {

std::string host_name(const config::Config& config) {
  if (!config.host_name.empty()) return config.host_name;
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') return "localhost";
  return buf;
}

void rank_and_suppress(std::vector<Finding>& findings, const config::Config& config,
                       const suppress::Suppressions& suppressions, std::int64_t now) {
  for (Finding& f : findings) {
    f.risk = risk::compute(risk::inputs_for(f, config::effective_context(config, f.project))).score;
    f.suppression = suppressions.match(f, now);
  }
}

Result<ScanReport> run_scan(store::Store& store, const config::Config& config,
                            const suppress::Suppressions& suppressions, std::int64_t now) {
  const auto started = std::chrono::steady_clock::now();
  ScanReport report;
  report.host = host_name(config);
  PP_TRY(packages, store.latest_inventory());
  PP_TRY(correlation, correlate::correlate(store.database(), packages, report.host));
  rank_and_suppress(correlation.findings, config, suppressions, now);
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  PP_TRY(summary, store::record_scan(store.database(), report.host, correlation.findings, now,
                                     correlation.packages, report.seconds));
  report.summary = summary;
  report.findings = std::move(correlation.findings);
  report.problems = std::move(correlation.problems);
  report.packages = correlation.packages;
  report.advisories_checked = correlation.advisories_checked;
  report.finished_at = now;
  return report;
}

}  // namespace patchparty::scan
