#include <iostream>

#include "config/config.h"
#include "core/suppress/suppressions.h"
#include "daemon/cli/commands.h"
#include "daemon/cli/exit_codes.h"

namespace patchparty::cli {

void add_check_config_command(CLI::App& app, int& exit_code) {
  auto* cmd =
      app.add_subcommand("check-config", "validate a configuration file; exit 2 if invalid");
  auto file = std::make_shared<std::string>();
  cmd->add_option("file", *file, "YAML configuration file")->required();
  cmd->callback([file, &exit_code] {
    auto c = config::load_config_file(*file);
    if (!c) {
      std::cerr << c.error().message << "\n";
      exit_code = kExitError;
      return;
    }
    auto suppressions = suppress::load_suppressions(c->suppressions);
    if (!suppressions) {
      std::cerr << suppressions.error().message << "\n";
      exit_code = kExitError;
      return;
    }
    std::cout << *file << ": ok (" << c->projects.size() << " projects, inventory every "
              << config::format_duration(c->inventory.interval) << ", "
              << suppressions->rule_count() + suppressions->statement_count() << " suppressions)\n";
    exit_code = kExitOk;
  });
}

}  // namespace patchparty::cli
