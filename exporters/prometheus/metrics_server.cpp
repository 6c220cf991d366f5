#include "exporters/prometheus/metrics_server.h"

#include <exception>

namespace patchparty::exporters {

Result<std::unique_ptr<MetricsServer>> MetricsServer::start(
    std::string_view listen, const std::shared_ptr<prometheus::Registry>& registry) {
  try {
    // Few threads: a scrape reads in-memory values, and Prometheus scrapes one at a time.
    auto exposer = std::make_unique<prometheus::Exposer>(std::string(listen), 2);
    exposer->RegisterCollectable(registry, "/metrics");
    return std::unique_ptr<MetricsServer>(new MetricsServer(std::move(exposer)));
  } catch (const std::exception& e) {
    // civetweb reports a bind failure as CivetException (a std::runtime_error).
    return fail(Errc::unavailable, "cannot listen on " + std::string(listen) + ": " + e.what());
  }
}

}  // namespace patchparty::exporters
