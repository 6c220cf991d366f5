// The kinds config/ accepts, asked while loading: for each role, a kind's name and the check of
// its section once the generic keys are read. The kinds live in collectors/, which config/ may
// not include, so each kind's own file adds itself here through its folder's
// register_builtin_*() list, and the executables call those lists before any config is loaded.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "config/config.h"
#include "core/base/registry.h"

namespace YAML {
class Node;
}

namespace patchparty::config {

class YamlReader;

// Reports what the kind needs beyond the generic keys through `r`, at the section's own keys
// ("file:line:col: health.checks[2].unit: required for kind systemd_unit"). `item` is the
// section's YAML mapping and `path` its key path.
template <class Section>
using SectionCheck = std::function<void(YamlReader& r, const YAML::Node& item,
                                        const std::string& path, const Section& section)>;

struct FeedKind {
  SectionCheck<FeedConfig> check;  // empty: the generic keys are all the kind reads
};

struct HealthCheckKind {
  SectionCheck<HealthCheckConfig> check;
};

// "required for kind <kind>" at path.key, reported on the section when `present` is false.
void require_key(YamlReader& r, const YAML::Node& item, const std::string& path,
                 std::string_view key, bool present, std::string_view kind);

// Process-wide, filled at start-up by feeds::register_builtin_feeds() and
// health::register_builtin_checks(); only read once a config is loaded.
Registry<FeedKind>& feed_kinds();
Registry<HealthCheckKind>& health_check_kinds();

}  // namespace patchparty::config
