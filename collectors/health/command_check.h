// command: runs an argv (no shell) with a timeout; exit status 0 is healthy.
#pragma once

#include <string>
#include <vector>

#include "collectors/health/check_kind.h"
#include "collectors/health/health_check.h"
#include "config/health_config.h"

namespace patchparty::health {

class CommandCheck final : public HealthCheck {
 public:
  explicit CommandCheck(const config::HealthCheckConfig& c);
  std::string_view name() const override { return name_; }
  std::string_view kind() const override { return "command"; }
  Probe probe(std::stop_token stop) override;

 private:
  std::string name_;
  std::vector<std::string> argv_;
  std::chrono::milliseconds timeout_;
  std::size_t max_output_;
};

// Shared with the backup check: one probe of a command, healthy on exit 0.
Probe run_command_probe(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                        std::size_t max_output, std::stop_token stop);

// "command": what its section needs, and the factory (register_builtin_checks).
CheckKind command_check_kind();

}  // namespace patchparty::health
