// What patchpartyd reads at start and again on SIGHUP, loaded and checked one way for both, so
// a reload refuses exactly what a start would refuse: the configuration, its suppression files
// (a bad one would silently un-suppress findings), the party schedule in its time zone, and
// the API token (a configured token that cannot be read would disable POST while the operator
// believes it works).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"
#include "core/base/log.h"
#include "core/base/result.h"
#include "core/suppress/suppressions.h"

namespace patchparty::lifecycle {

struct Settings {
  config::Config config;  // state_dir as the file (or the defaults) say
  suppress::Suppressions suppressions;
  std::optional<std::string> api_token;       // nullopt when api.token_file is not set
  std::optional<std::string> api_read_token;  // nullopt when api.read_token_file is not set
};

// None: the built-in defaults. The error's message says which part is wrong ("invalid
// configuration:\n...", "invalid suppressions:\n...", "invalid party schedule: ...").
[[nodiscard]] Result<Settings> load_settings(const std::optional<std::filesystem::path>& file,
                                             std::int64_t now);

// The state directory: the command line's, else systemd's $STATE_DIRECTORY, else the config's.
std::filesystem::path choose_state_dir(const std::optional<std::filesystem::path>& option,
                                       const config::Config& c);

log::Level level_from(std::string_view name);

}  // namespace patchparty::lifecycle
