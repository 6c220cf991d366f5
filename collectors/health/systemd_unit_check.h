// systemd_unit: a unit's ActiveState/SubState over sd-bus, and whether it restarted since the
// previous probe (NRestarts grew), which a crash-looping Restart=always service hides from
// ActiveState.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "collectors/health/check_kind.h"
#include "collectors/health/health_check.h"
#include "config/health_config.h"
#include "core/base/systemd_bus.h"

namespace patchparty::health {

class SystemdUnitCheck final : public HealthCheck {
 public:
  explicit SystemdUnitCheck(const config::HealthCheckConfig& c);
  std::string_view name() const override { return name_; }
  std::string_view kind() const override { return "systemd_unit"; }
  // value: NRestarts (services only). Opens its own bus connection per probe: a bus is not
  // thread-safe, and a reconnect per probe survives a restarted bus.
  Probe probe(std::stop_token stop) override;

 private:
  bool state_expected(const std::string& active, const std::string& sub) const;

  std::string name_, unit_;
  BusKind bus_;
  std::vector<std::string> expected_;
  std::chrono::milliseconds timeout_;
  std::optional<std::uint32_t> last_restarts_;
};

// "systemd_unit": what its section needs, and the factory (register_builtin_checks).
CheckKind systemd_unit_check_kind();

}  // namespace patchparty::health
