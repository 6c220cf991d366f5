// The baseline a watch window is compared with: the median of a check's values before the
// window, robust to the odd slow probe in a way a mean is not.
#pragma once

#include <optional>
#include <span>

#include "collectors/health/health_check.h"

namespace patchparty::health {

// Median of the values of probes taken before `before`; nullopt when none had a value.
std::optional<double> baseline_median(std::span<const Probe> history, WallClock::time_point before);

// Ratio mode: healthy while value <= baseline x max_ratio. A zero baseline allows only zero.
bool within_ratio(double value, double baseline, double max_ratio);

}  // namespace patchparty::health
