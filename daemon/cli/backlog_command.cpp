// patchparty backlog: the party's task list from the daemon's store, ranked as of now.
#include <chrono>
#include <iostream>

#include "config/config.h"
#include "core/store/store.h"
#include "core/suppress/suppressions.h"
#include "daemon/cli/commands.h"
#include "daemon/cli/config_options.h"
#include "daemon/cli/exit_codes.h"
#include "daemon/lifecycle/party_job.h"
#include "exporters/backlog/backlog_writers.h"

namespace patchparty::cli {

namespace {

struct BacklogArgs {
  std::string config_file, state_dir, format = "table";
  bool since_last_party = false;
};

int run(const BacklogArgs& args) {
  auto fail_with = [](const std::string& message) {
    std::cerr << "patchparty backlog: " << message << "\n";
    return kExitError;
  };
  auto format = exporters::parse_backlog_format(args.format);
  if (!format)
    return fail_with("--format: '" + args.format + "' is not one of md, csv, json, table");
  auto c = load_cli_config(args.config_file, args.state_dir);
  if (!c) return fail_with(c.error().message);
  auto suppressions = suppress::load_suppressions(c->suppressions);
  if (!suppressions) return fail_with(suppressions.error().message);
  auto store = store::Store::open_read_only(c->state_dir);
  if (!store)
    return fail_with("cannot read the store in " + c->state_dir.string() + ": " +
                     store.error().message);
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  auto backlog = lifecycle::current_backlog(*store, *c, *suppressions, now, args.since_last_party);
  if (!backlog) return fail_with(backlog.error().message);
  std::cout << exporters::render_backlog(*backlog, *format);
  return backlog->tasks.empty() && backlog->watch.empty() ? kExitOk : kExitNegative;
}

}  // namespace

void add_backlog_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<BacklogArgs>();
  auto* cmd = app.add_subcommand(
      "backlog", "the party backlog from the daemon's findings; exit 1 when it has work");
  add_config_options(*cmd, args->config_file, args->state_dir);
  cmd->add_option("--format", args->format, "md, csv, json or table")->capture_default_str();
  cmd->add_flag("--since-last-party", args->since_last_party,
                "only what is new since the last party");
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace patchparty::cli
