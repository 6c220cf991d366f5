// Serves a Registry as /metrics on HOST:PORT (config `listen`), through prometheus-cpp's
// Exposer and the civetweb server it embeds.
#pragma once

#include <prometheus/exposer.h>
#include <prometheus/registry.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/result.h"

namespace patchparty::exporters {

class MetricsServer {
 public:
  // Listens at once; unavailable when the address cannot be bound (taken, not local).
  // The server holds the registry weakly: the caller keeps it alive while the server runs.
  [[nodiscard]] static Result<std::unique_ptr<MetricsServer>> start(
      std::string_view listen, const std::shared_ptr<prometheus::Registry>& registry);

  // The bound ports; the real one when `listen` asked for port 0.
  std::vector<int> ports() const { return exposer_->GetListeningPorts(); }

 private:
  explicit MetricsServer(std::unique_ptr<prometheus::Exposer> exposer)
      : exposer_(std::move(exposer)) {}
  std::unique_ptr<prometheus::Exposer> exposer_;
};

}  // namespace patchparty::exporters
