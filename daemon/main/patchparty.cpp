// patchparty: the command line for operators and pipelines.
#include <CLI/CLI.hpp>

#include <iostream>

#include "collectors/feeds/builtin_feeds.h"
#include "collectors/health/builtin_checks.h"
#include "collectors/inventory/builtin_sources.h"
#include "daemon/cli/commands.h"
#include "daemon/cli/exit_codes.h"

int main(int argc, char** argv) {
  using namespace patchparty::cli;
  // Before any config is loaded: config/ knows the kinds only from these lists.
  patchparty::feeds::register_builtin_feeds();
  patchparty::health::register_builtin_checks();
  patchparty::inventory::register_builtin_sources();
  CLI::App app{"patchparty: inventory, advisories, findings and the patch-party backlog"};
  app.set_version_flag("--version", "patchparty " PP_VERSION);
  app.require_subcommand(1);
  int exit_code = kExitOk;
  add_check_config_command(app, exit_code);
  add_inventory_command(app, exit_code);
  add_versions_command(app, exit_code);
  add_feeds_command(app, exit_code);
  add_scan_command(app, exit_code);
  add_backlog_command(app, exit_code);
  add_restart_command(app, exit_code);
  add_events_command(app, exit_code);
  add_deploy_command(app, exit_code);
  add_backup_command(app, exit_code);
  add_restore_command(app, exit_code);
  add_fleet_command(app, exit_code);
  add_vex_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitError;
  }
  return exit_code;
}
