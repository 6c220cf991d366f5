// GET /api/v1/health: each check's latest probe, as patchparty.health/v1 JSON.
#pragma once

#include <string>

#include "collectors/health/health_monitor.h"

namespace patchparty::health {

// `monitor` may be null (no checks configured): an empty list.
std::string health_json(const HealthMonitor* monitor);

}  // namespace patchparty::health
