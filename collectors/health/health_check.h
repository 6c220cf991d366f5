// A health check: one probe of one thing a patch could break (docs/patch-watch-and-rollback.md
// "Health checks"). probe() never fails: "could not check" (refused connection, bus gone, deadline
// passed) is unhealthy with the reason in `detail`, because for a watch window both mean "not
// working".
#pragma once

#include <chrono>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>

namespace patchparty::health {

using WallClock = std::chrono::system_clock;

struct Probe {
  WallClock::time_point at;  // when the probe started
  bool healthy = false;
  std::chrono::microseconds latency{0};
  std::optional<double> value;  // what a baseline compares: query result, NRestarts, age
  std::string detail;           // one line, for logs, alerts and the API
};

class HealthCheck {
 public:
  virtual ~HealthCheck() = default;
  virtual std::string_view name() const = 0;  // config name: the {check} label
  virtual std::string_view kind() const = 0;  // http, systemd_unit, prometheus_query, ...
  // Called from one thread at a time; a requested stop ends a probe early (unhealthy).
  virtual Probe probe(std::stop_token stop) = 0;
};

}  // namespace patchparty::health
