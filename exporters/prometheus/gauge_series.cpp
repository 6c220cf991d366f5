#include "exporters/prometheus/gauge_series.h"

namespace patchparty::exporters {

GaugeSeries::GaugeSeries(prometheus::Registry& registry,
                         prometheus::detail::Builder<prometheus::Gauge> gauge)
    : family_(&gauge.Register(registry)) {}

void GaugeSeries::replace(const std::map<prometheus::Labels, double>& values) {
  for (auto it = live_.begin(); it != live_.end();) {
    if (values.count(it->first)) {
      ++it;
      continue;
    }
    family_->Remove(it->second);
    it = live_.erase(it);
  }
  for (const auto& [labels, value] : values) {
    auto [it, added] = live_.try_emplace(labels, nullptr);
    if (added) it->second = &family_->Add(labels);
    it->second->Set(value);
  }
}

}  // namespace patchparty::exporters
