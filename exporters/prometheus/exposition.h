// The text exposition format of a registry, as a scrape of /metrics returns it.
#pragma once

#include <prometheus/registry.h>

#include <string>

namespace patchparty::exporters {

std::string serialize_metrics(const prometheus::Registry& registry);

}  // namespace patchparty::exporters
