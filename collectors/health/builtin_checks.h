// The one list of check kinds, and the factory that builds a configured check from it.
#pragma once

#include <memory>

#include "collectors/health/health_check.h"
#include "config/health_config.h"
#include "core/base/result.h"

namespace patchparty::health {

// Adds every built-in kind (config/kinds.h and make_check's factories). Called by the
// executables before any config is loaded, and by tests that load one; the list is added once
// per process however often it is called.
void register_builtin_checks();

[[nodiscard]] Result<std::unique_ptr<HealthCheck>> make_check(const config::HealthCheckConfig& c);

}  // namespace patchparty::health
