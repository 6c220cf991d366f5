// The patchparty subcommands. Each adds itself to the app and, when chosen, stores its exit
// status (daemon/cli/exit_codes.h) in `exit_code`.
#pragma once

#include <CLI/CLI.hpp>

namespace patchparty::cli {

void add_check_config_command(CLI::App& app, int& exit_code);
void add_inventory_command(CLI::App& app, int& exit_code);
void add_versions_command(CLI::App& app, int& exit_code);
void add_feeds_command(CLI::App& app, int& exit_code);
void add_scan_command(CLI::App& app, int& exit_code);
void add_backlog_command(CLI::App& app, int& exit_code);
void add_restart_command(CLI::App& app, int& exit_code);
void add_events_command(CLI::App& app, int& exit_code);
void add_deploy_command(CLI::App& app, int& exit_code);
void add_backup_command(CLI::App& app, int& exit_code);
void add_restore_command(CLI::App& app, int& exit_code);
void add_fleet_command(CLI::App& app, int& exit_code);
void add_vex_command(CLI::App& app, int& exit_code);

}  // namespace patchparty::cli
