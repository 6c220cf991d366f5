// patchparty restore: a backup back in place of the state database, with patchpartyd stopped.
#include <iostream>

#include "config/config.h"
#include "core/store/restore.h"
#include "daemon/cli/commands.h"
#include "daemon/cli/config_options.h"
#include "daemon/cli/exit_codes.h"

namespace patchparty::cli {

namespace {

struct RestoreArgs {
  std::string source, config_file, state_dir;
  bool force = false;
};

int run(const RestoreArgs& args) {
  auto fail_with = [](const std::string& message) {
    std::cerr << "patchparty restore: " << message << "\n";
    return kExitError;
  };
  auto c = load_cli_config(args.config_file, args.state_dir);
  if (!c) return fail_with(c.error().message);
  store::RestoreOptions options;
  options.force = args.force;
  auto r = store::restore_state(args.source, c->state_dir, options);
  if (!r) return fail_with(r.error().message);
  std::cout << "restored " << args.source << " to " << r->database.string() << ": " << r->bytes
            << " bytes, schema version " << r->facts.schema_version << ", " << r->facts.pages
            << " pages, integrity_check ok\n";
  if (r->previous) {
    std::cout << "the previous database is kept as " << r->previous->string()
              << (r->previous_has_wal ? " (with its -wal file beside it)" : "") << "\n";
  }
  if (r->facts.schema_version < r->code_schema_version) {
    std::cout << "patchpartyd migrates it from schema version " << r->facts.schema_version << " to "
              << r->code_schema_version << " when it next starts\n";
  }
  std::cout << "start patchpartyd again: systemctl start patchpartyd\n";
  return kExitOk;
}

}  // namespace

void add_restore_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<RestoreArgs>();
  auto* cmd = app.add_subcommand(
      "restore",
      "replace the state database with a backup (patchpartyd stopped); the current one is kept "
      "as patchparty.db.before-restore-<time>");
  cmd->add_option("source", args->source, "a file written by patchparty backup")->required();
  add_config_options(*cmd, args->config_file, args->state_dir);
  cmd->add_flag("--force", args->force,
                "replace an existing database (without it, restore only fills an empty state "
                "directory)");
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace patchparty::cli
