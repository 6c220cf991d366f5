#include "config/kinds.h"

#include "core/base/yaml_reader.h"

namespace patchparty::config {

Registry<FeedKind>& feed_kinds() {
  static Registry<FeedKind> kinds{"feed kind"};
  return kinds;
}

Registry<HealthCheckKind>& health_check_kinds() {
  static Registry<HealthCheckKind> kinds{"health check kind"};
  return kinds;
}

void require_key(YamlReader& r, const YAML::Node& item, const std::string& path,
                 std::string_view key, bool present, std::string_view kind) {
  if (!present)
    r.error(item, YamlReader::join(path, key), "required for kind " + std::string(kind));
}

}  // namespace patchparty::config
