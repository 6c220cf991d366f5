#include "daemon/lifecycle/settings.h"

#include <cstdlib>
#include <utility>

#include "daemon/lifecycle/party_job.h"
#include "exporters/http/bearer_token.h"

namespace patchparty::lifecycle {

namespace {

Error labelled(std::string_view what, Error e) {
  e.message = std::string(what) + e.message;
  return e;
}

}  // namespace

Result<Settings> load_settings(const std::optional<std::filesystem::path>& file, std::int64_t now) {
  auto config = file ? config::load_config_file(*file) : config::default_config();
  if (!config) return tl::make_unexpected(labelled("invalid configuration:\n", config.error()));
  auto suppressions = suppress::load_suppressions(config->suppressions);
  if (!suppressions)
    return tl::make_unexpected(labelled("invalid suppressions:\n", suppressions.error()));
  if (auto times = party_times(config->party, now); !times)
    return tl::make_unexpected(labelled("invalid party schedule: ", times.error()));
  Settings s{std::move(*config), std::move(*suppressions), std::nullopt, std::nullopt};
  if (!s.config.api.token_file.empty()) {
    auto token = http::read_token_file(s.config.api.token_file);
    if (!token) return tl::make_unexpected(labelled("invalid configuration: ", token.error()));
    s.api_token = std::move(*token);
  }
  if (!s.config.api.read_token_file.empty()) {
    auto token = read_token_file(s.config.api.read_token_file, "api.read_token_file");
    if (!token) return tl::make_unexpected(labelled("invalid configuration: ", token.error()));
    s.api_read_token = std::move(*token);
  }
  return s;
}

std::filesystem::path choose_state_dir(const std::optional<std::filesystem::path>& option,
                                       const config::Config& c) {
  if (option) return *option;
  // systemd's StateDirectory= passes the directory it made for us.
  if (const char* env = std::getenv("STATE_DIRECTORY"); env && *env) {
    std::string_view first(env);
    return std::filesystem::path(first.substr(0, first.find(':')));
  }
  return c.state_dir;
}

log::Level level_from(std::string_view name) {
  if (name == "debug") return log::Level::debug;
  if (name == "notice") return log::Level::notice;
  if (name == "warning") return log::Level::warning;
  if (name == "error") return log::Level::err;
  return log::Level::info;
}

}  // namespace patchparty::lifecycle
