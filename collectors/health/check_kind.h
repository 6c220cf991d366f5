// A health check kind as its own file declares it: the config value, what its section needs
// beyond the generic keys, and the factory. One add_check_kind() call puts the first two in
// config's catalog (config/kinds.h) and the factory where make_check finds it.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "collectors/health/health_check.h"
#include "config/kinds.h"

namespace patchparty::health {

using CheckFactory =
    std::function<std::unique_ptr<HealthCheck>(const config::HealthCheckConfig& config)>;

struct CheckKind {
  std::string name;  // "http": the config value, also the check's kind()
  config::SectionCheck<config::HealthCheckConfig> check;
  CheckFactory make;
};

// The factory of a kind whose check is built from its config section alone, as every built-in
// one is: CheckKind{.make = construct_check<HttpCheck>}.
template <class Check>
std::unique_ptr<HealthCheck> construct_check(const config::HealthCheckConfig& config) {
  return std::make_unique<Check>(config);
}

// A name already registered aborts (core/base/registry.h).
void add_check_kind(CheckKind kind);

// The factory registered for `kind`, or null.
const CheckFactory* find_check_factory(std::string_view kind);

}  // namespace patchparty::health
