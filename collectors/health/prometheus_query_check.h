// prometheus_query: a PromQL instant query (/api/v1/query) whose scalar or single-sample
// vector result is compared with a threshold, or, in ratio mode, with the check's own baseline
// (the monitor decides those; see baseline.h).
#pragma once

#include <string>

#include "collectors/health/check_kind.h"
#include "collectors/health/health_check.h"
#include "config/health_config.h"

namespace patchparty::health {

class PrometheusQueryCheck final : public HealthCheck {
 public:
  explicit PrometheusQueryCheck(const config::HealthCheckConfig& c);
  std::string_view name() const override { return config_.name; }
  std::string_view kind() const override { return "prometheus_query"; }
  // In ratio mode a probe that returns a value is healthy here; the monitor compares it with
  // the baseline.
  Probe probe(std::stop_token stop) override;

 private:
  config::HealthCheckConfig config_;
};

// The value of an /api/v1/query answer: a scalar, or a vector of exactly one sample. An error
// carries Prometheus' own message.
[[nodiscard]] Result<double> parse_query_response(std::string_view json);

// "prometheus_query": what its section needs, and the factory (register_builtin_checks).
CheckKind prometheus_query_check_kind();

}  // namespace patchparty::health
