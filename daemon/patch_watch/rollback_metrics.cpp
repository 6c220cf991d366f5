#include "daemon/patch_watch/rollback_metrics.h"

#include <stdexcept>
#include <string>

namespace patchparty::patch_watch {

RollbackMetrics::RollbackMetrics(prometheus::Registry& r)
    : rollbacks_(prometheus::BuildCounter()
                     .Name("patchparty_rollbacks_total")
                     .Help("Rollbacks patchparty attempted after a failed health watch.")
                     .Register(r)) {}

Result<std::unique_ptr<RollbackMetrics>> RollbackMetrics::create(prometheus::Registry& registry) {
  try {
    return std::unique_ptr<RollbackMetrics>(new RollbackMetrics(registry));
  } catch (const std::invalid_argument& e) {
    return fail(Errc::internal, std::string("rollback metrics: ") + e.what());
  }
}

void RollbackMetrics::count(std::string_view target, std::string_view outcome) {
  rollbacks_.Add({{"target", std::string(target)}, {"outcome", std::string(outcome)}}).Increment();
}

void RollbackMetrics::declare(std::string_view target, std::string_view outcome) {
  rollbacks_.Add({{"target", std::string(target)}, {"outcome", std::string(outcome)}});
}

}  // namespace patchparty::patch_watch
