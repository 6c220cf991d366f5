#include "collectors/health/baseline.h"

#include <algorithm>
#include <vector>

namespace patchparty::health {

std::optional<double> baseline_median(std::span<const Probe> history,
                                      WallClock::time_point before) {
  std::vector<double> values;
  for (const auto& p : history) {
    if (p.at < before && p.value) values.push_back(*p.value);
  }
  if (values.empty()) return std::nullopt;
  const auto mid = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), mid, values.end());
  if (values.size() % 2 == 1) return *mid;
  const double upper = *mid;
  const double lower = *std::max_element(values.begin(), mid);
  return (lower + upper) / 2;
}

bool within_ratio(double value, double baseline, double max_ratio) {
  return value <= baseline * max_ratio;
}

}  // namespace patchparty::health
