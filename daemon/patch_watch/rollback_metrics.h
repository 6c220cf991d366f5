// The watch engine's family: rollbacks attempted, by target and outcome. Thread-safe: the
// engine counts from its own thread.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include <memory>
#include <string_view>

#include "core/base/result.h"

namespace patchparty::patch_watch {

class RollbackMetrics {
 public:
  [[nodiscard]] static Result<std::unique_ptr<RollbackMetrics>> create(
      prometheus::Registry& registry);
  void count(std::string_view target, std::string_view outcome);
  // The series at 0 before the first rollback, so increase() sees the first one.
  void declare(std::string_view target, std::string_view outcome);

 private:
  explicit RollbackMetrics(prometheus::Registry& registry);
  prometheus::Family<prometheus::Counter>& rollbacks_;
};

}  // namespace patchparty::patch_watch
