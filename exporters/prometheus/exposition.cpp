#include "exporters/prometheus/exposition.h"

#include <prometheus/text_serializer.h>

namespace patchparty::exporters {

std::string serialize_metrics(const prometheus::Registry& registry) {
  return prometheus::TextSerializer().Serialize(registry.Collect());
}

}  // namespace patchparty::exporters
