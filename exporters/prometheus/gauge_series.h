// One gauge family and the children of it that the last update set; an update replaces the whole
// set, so a feed, source or severity that went away stops being exposed instead of going stale.
#pragma once

#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <map>

namespace patchparty::exporters {

class GaugeSeries {
 public:
  // Registers the family `gauge` describes on `registry`: a bad name throws, as Register does.
  // Families are declared as prometheus::BuildGauge().Name("patchparty_...") everywhere, which
  // the docs and dashboard tests read from the source.
  GaugeSeries(prometheus::Registry& registry, prometheus::detail::Builder<prometheus::Gauge> gauge);
  void replace(const std::map<prometheus::Labels, double>& values);

 private:
  prometheus::Family<prometheus::Gauge>* family_;
  std::map<prometheus::Labels, prometheus::Gauge*> live_;
};

}  // namespace patchparty::exporters
