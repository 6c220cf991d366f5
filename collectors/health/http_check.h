// http: a GET whose status, latency and body say whether the service works.
#pragma once

#include <string>
#include <vector>

#include "collectors/health/check_kind.h"
#include "collectors/health/health_check.h"
#include "config/health_config.h"
#include "core/base/pattern.h"

namespace patchparty::health {

class HttpCheck final : public HealthCheck {
 public:
  // The body regex must compile (config validation checked it; Pattern aborts otherwise).
  explicit HttpCheck(const config::HealthCheckConfig& c);
  std::string_view name() const override { return config_.name; }
  std::string_view kind() const override { return "http"; }
  // value: the status code.
  Probe probe(std::stop_token stop) override;

 private:
  bool status_expected(long status) const;

  config::HealthCheckConfig config_;
  std::optional<Pattern> body_;
};

// "http": what its section needs, and the factory (register_builtin_checks).
CheckKind http_check_kind();

}  // namespace patchparty::health
