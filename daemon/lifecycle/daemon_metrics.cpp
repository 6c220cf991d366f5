#include "daemon/lifecycle/daemon_metrics.h"
#include "core/base/checked_new.h"

#include <string>

namespace patchparty::lifecycle {

DaemonMetrics::DaemonMetrics(prometheus::Registry& r)
    : build_info_(prometheus::BuildGauge()
                      .Name("patchparty_build_info")
                      .Help("Always 1; the labels name the running patchpartyd build.")
                      .Register(r)),
      scan_duration_(prometheus::BuildHistogram()
                         .Name("patchparty_scan_duration_seconds")
                         .Help("Duration of a correlation run (inventory x advisories).")
                         .Register(r)),
      patch_events_(prometheus::BuildCounter()
                        .Name("patchparty_patch_events_total")
                        .Help("Patch events recorded (package changes and deploys), by kind.")
                        .Register(r)),
      // Scans range from milliseconds (a small host, nothing new) to minutes (a big inventory
      // against every OSV ecosystem); the default buckets stop at 10 s.
      scan_histogram_(scan_duration_.Add(
          {}, prometheus::Histogram::BucketBoundaries{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
                                                      60, 120, 300})),
      api_exposed_(prometheus::BuildGauge()
                       .Name("patchparty_api_exposed")
                       .Help("1 when the API listens beyond loopback without api.read_token_file "
                             "or without api.tls: the host's findings can be read on the network.")
                       .Register(r)
                       .Add({})) {
  build_info_.Add({{"version", PP_VERSION}}).Set(1);
  // Every kind from the start: the first deploy is an increase from zero.
  for (const char* kind : {"upgrade", "downgrade", "install", "remove", "deploy"})
    patch_events_.Add({{"kind", kind}});
}

Result<std::unique_ptr<DaemonMetrics>> DaemonMetrics::create(prometheus::Registry& registry) {
  return checked_new<DaemonMetrics>("metrics", [&] { return new DaemonMetrics(registry); });
}

void DaemonMetrics::observe_scan(double seconds) {
  scan_histogram_.Observe(seconds);
}

void DaemonMetrics::set_api_exposed(bool exposed) {
  api_exposed_.Set(exposed ? 1 : 0);
}

void DaemonMetrics::count_patch_event(std::string_view kind) {
  patch_events_.Add({{"kind", std::string(kind)}}).Increment();
}

}  // namespace patchparty::lifecycle
