// One gauge family and the children of it that the last update set; an update replaces the whole
// set, so a feed, source or severity that went away stops being exposed instead of going stale.
#pragma once

#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <map>
#include <string>

namespace patchparty::exporters {

class GaugeSeries {
 public:
  // Registers the family on `registry`; a bad name throws, as prometheus-cpp's builder does.
  GaugeSeries(prometheus::Registry& registry, const std::string& name, const std::string& help);
  void replace(const std::map<prometheus::Labels, double>& values);

 private:
  prometheus::Family<prometheus::Gauge>* family_;
  std::map<prometheus::Labels, prometheus::Gauge*> live_;
};

}  // namespace patchparty::exporters
