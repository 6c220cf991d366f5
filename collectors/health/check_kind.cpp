#include "collectors/health/check_kind.h"

namespace patchparty::health {

namespace {

Registry<CheckFactory>& factories() {
  static Registry<CheckFactory> registry{"health check kind"};
  return registry;
}

}  // namespace

void add_check_kind(CheckKind kind) {
  config::health_check_kinds().add(kind.name, config::HealthCheckKind{std::move(kind.check)});
  factories().add(std::move(kind.name), std::move(kind.make));
}

const CheckFactory* find_check_factory(std::string_view kind) {
  return factories().find(kind);
}

}  // namespace patchparty::health
