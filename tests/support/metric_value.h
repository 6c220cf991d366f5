// Reading a registry as a scrape would: one series' value, or how many series a family has.
#pragma once

#include <prometheus/registry.h>

#include <cstddef>
#include <optional>
#include <string_view>

namespace patchparty::testing {

// nullopt when the series is not exposed; a histogram's value is its sample count.
inline std::optional<double> metric_value(const prometheus::Registry& registry,
                                          std::string_view name,
                                          const prometheus::Labels& labels = {}) {
  for (const auto& family : registry.Collect()) {
    if (family.name != name) continue;
    for (const auto& m : family.metric) {
      prometheus::Labels have;
      for (const auto& l : m.label) have[l.name] = l.value;
      if (have != labels) continue;
      switch (family.type) {
        case prometheus::MetricType::Counter:
          return m.counter.value;
        case prometheus::MetricType::Gauge:
          return m.gauge.value;
        case prometheus::MetricType::Histogram:
          return static_cast<double>(m.histogram.sample_count);
        default:
          return std::nullopt;
      }
    }
  }
  return std::nullopt;
}

inline std::size_t series_count(const prometheus::Registry& registry, std::string_view name) {
  for (const auto& family : registry.Collect())
    if (family.name == name) return family.metric.size();
  return 0;
}

}  // namespace patchparty::testing
