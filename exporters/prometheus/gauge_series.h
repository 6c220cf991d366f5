// The children of one gauge family that the last update set; an update replaces the whole set,
// so a feed, source or severity that went away stops being exposed instead of going stale.
#pragma once

#include <prometheus/family.h>
#include <prometheus/gauge.h>

#include <map>

namespace patchparty::exporters {

class GaugeSeries {
 public:
  explicit GaugeSeries(prometheus::Family<prometheus::Gauge>& family) : family_(&family) {}
  void replace(const std::map<prometheus::Labels, double>& values);

 private:
  prometheus::Family<prometheus::Gauge>* family_;
  std::map<prometheus::Labels, prometheus::Gauge*> live_;
};

}  // namespace patchparty::exporters
