// The one list of check kinds: config kind -> implementation.
#pragma once

#include <memory>

#include "collectors/health/health_check.h"
#include "config/health_config.h"
#include "core/base/result.h"

namespace patchparty::health {

[[nodiscard]] Result<std::unique_ptr<HealthCheck>> make_check(const config::HealthCheckConfig& c);

}  // namespace patchparty::health
