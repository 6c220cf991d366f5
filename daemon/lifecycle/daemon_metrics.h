// The worker's own families: the build, each correlation run's duration, and the patch events
// it records.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <memory>
#include <string_view>

#include "core/base/result.h"

namespace patchparty::lifecycle {

class DaemonMetrics {
 public:
  [[nodiscard]] static Result<std::unique_ptr<DaemonMetrics>> create(
      prometheus::Registry& registry);
  // One correlation run of the scan job, in seconds.
  void observe_scan(double seconds);
  // One patch event recorded; `kind` is its kind ("upgrade", "deploy", ...).
  void count_patch_event(std::string_view kind);
  // The API answers other machines without a read token: anyone who reaches the port reads the
  // host's findings.
  void set_api_exposed(bool exposed);

 private:
  explicit DaemonMetrics(prometheus::Registry& registry);

  prometheus::Family<prometheus::Gauge>& build_info_;
  prometheus::Family<prometheus::Histogram>& scan_duration_;
  prometheus::Family<prometheus::Counter>& patch_events_;
  prometheus::Histogram& scan_histogram_;
  prometheus::Gauge& api_exposed_;
};

}  // namespace patchparty::lifecycle
