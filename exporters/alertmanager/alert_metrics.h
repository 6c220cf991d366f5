// The sender's family: alert batches posted to Alertmanager, by outcome. Thread-safe: each
// Alertmanager's thread counts its own posts.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/registry.h>

#include <memory>
#include <string_view>

#include "core/base/result.h"

namespace patchparty::exporters {

class AlertMetrics {
 public:
  [[nodiscard]] static Result<std::unique_ptr<AlertMetrics>> create(prometheus::Registry& registry);
  // `outcome` is "success" or "failure".
  void count_sent(std::string_view outcome);

 private:
  explicit AlertMetrics(prometheus::Registry& registry);
  prometheus::Family<prometheus::Counter>& sent_;
};

}  // namespace patchparty::exporters
