#include "daemon/cli/config_options.h"

namespace patchparty::cli {

void add_config_options(CLI::App& cmd, std::string& config_file, std::string& state_dir) {
  cmd.add_option("-c,--config", config_file, "configuration file (default: built-in)");
  cmd.add_option("--state-dir", state_dir, "state directory (default: config state_dir)");
}

Result<config::Config> load_cli_config(const std::string& config_file,
                                       const std::string& state_dir) {
  auto c = config_file.empty() ? Result<config::Config>(config::default_config())
                               : config::load_config_file(config_file);
  if (c && !state_dir.empty()) c->state_dir = state_dir;
  return c;
}

}  // namespace patchparty::cli
