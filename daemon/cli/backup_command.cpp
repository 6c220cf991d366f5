// patchparty backup: a consistent copy of the state database, taken while patchpartyd runs.
#include <cstdio>
#include <iostream>

#include "config/config.h"
#include "core/store/backup.h"
#include "daemon/cli/commands.h"
#include "daemon/cli/config_options.h"
#include "daemon/cli/exit_codes.h"

namespace patchparty::cli {

namespace {

struct BackupArgs {
  std::string dest, config_file, state_dir;
  bool force = false;
  int timeout_seconds = 600;
};

int run(const BackupArgs& args) {
  auto fail_with = [](const std::string& message) {
    std::cerr << "patchparty backup: " << message << "\n";
    return kExitError;
  };
  auto c = load_cli_config(args.config_file, args.state_dir);
  if (!c) return fail_with(c.error().message);
  if (args.timeout_seconds <= 0) return fail_with("--timeout: must be at least 1 second");
  store::BackupOptions options;
  options.force = args.force;
  options.copy.timeout = std::chrono::seconds(args.timeout_seconds);
  auto r = store::backup_state(c->state_dir, args.dest, options);
  if (!r) return fail_with(r.error().message);
  const double seconds = r->elapsed.count();
  const double mib = static_cast<double>(r->bytes) / (1024.0 * 1024.0);
  char rate[64];
  std::snprintf(rate, sizeof rate, "%.3f s, %.1f MiB/s", seconds,
                seconds > 0 ? mib / seconds : 0.0);
  std::cout << "wrote " << r->file.string() << ": " << r->bytes << " bytes, schema version "
            << r->facts.schema_version << ", " << r->facts.pages << " pages of "
            << r->facts.page_size << " bytes, integrity_check ok (" << rate << ")\n";
  return kExitOk;
}

}  // namespace

void add_backup_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<BackupArgs>();
  auto* cmd = app.add_subcommand(
      "backup",
      "copy the state database, consistent and checked, while patchpartyd runs; DEST may be a "
      "directory");
  cmd->add_option("dest", args->dest, "file to write, or a directory for a timestamped file")
      ->required();
  add_config_options(*cmd, args->config_file, args->state_dir);
  cmd->add_flag("--force", args->force, "replace an existing DEST file");
  cmd->add_option("--timeout", args->timeout_seconds, "give up after this many seconds")
      ->capture_default_str();
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace patchparty::cli
