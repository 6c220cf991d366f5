#include "daemon/patch_watch/rollback_metrics.h"
#include "core/base/checked_new.h"

#include <string>

namespace patchparty::patch_watch {

RollbackMetrics::RollbackMetrics(prometheus::Registry& r)
    : rollbacks_(prometheus::BuildCounter()
                     .Name("patchparty_rollbacks_total")
                     .Help("Rollbacks patchparty attempted after a failed health watch.")
                     .Register(r)) {}

Result<std::unique_ptr<RollbackMetrics>> RollbackMetrics::create(prometheus::Registry& registry) {
  return checked_new<RollbackMetrics>("rollback metrics",
                                      [&] { return new RollbackMetrics(registry); });
}

void RollbackMetrics::count(std::string_view target, std::string_view outcome) {
  rollbacks_.Add({{"target", std::string(target)}, {"outcome", std::string(outcome)}}).Increment();
}

void RollbackMetrics::declare(std::string_view target, std::string_view outcome) {
  rollbacks_.Add({{"target", std::string(target)}, {"outcome", std::string(outcome)}});
}

}  // namespace patchparty::patch_watch
