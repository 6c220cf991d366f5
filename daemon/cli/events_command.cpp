// patchparty events: the patch events in the daemon's store, newest first.
#include <chrono>
#include <ctime>
#include <iostream>

#include "config/config.h"
#include "core/store/event_tables.h"
#include "core/store/store.h"
#include "daemon/cli/commands.h"
#include "daemon/cli/config_options.h"
#include "daemon/cli/exit_codes.h"
#include "daemon/cli/text_table.h"

namespace patchparty::cli {

namespace {

struct EventsArgs {
  std::string config_file, state_dir, since;
  std::int64_t limit = 100;
  bool json = false;
};

std::string utc_time(std::int64_t t) {
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%SZ", &tm);
  return buf;
}

std::string change(const events::PatchEvent& e) {
  if (e.from_version.empty()) return e.to_version;
  if (e.to_version.empty()) return e.from_version + " -> (removed)";
  return e.from_version + " -> " + e.to_version;
}

int run(const EventsArgs& args) {
  auto fail_with = [](const std::string& message) {
    std::cerr << "patchparty events: " << message << "\n";
    return kExitError;
  };
  if (args.limit < 0) return fail_with("--limit: must be 0 (all) or more");
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  store::EventQuery q;
  q.limit = args.limit;
  if (!args.since.empty()) {
    auto d = config::parse_duration(args.since);
    if (!d) return fail_with("--since: " + d.error().message);
    q.since = now - std::chrono::duration_cast<std::chrono::seconds>(*d).count();
  }
  auto c = load_cli_config(args.config_file, args.state_dir);
  if (!c) return fail_with(c.error().message);
  auto store = store::Store::open_read_only(c->state_dir);
  if (!store)
    return fail_with("cannot read the store in " + c->state_dir.string() + ": " +
                     store.error().message);
  auto list = store::list_events(store->database(), q);
  if (!list) return fail_with(list.error().message);
  if (args.json) {
    std::cout << events::events_to_json(*list) << "\n";
    return kExitOk;
  }
  TextTable table({"ID", "TIME (UTC)", "ORIGIN", "KIND", "TARGET", "PROJECT", "VERSION", "VERDICT",
                   "ROLLBACK"});
  for (const auto& e : *list) {
    std::string target = e.arch.empty() ? e.target : e.target + ":" + e.arch;
    table.add({std::to_string(e.id), utc_time(e.at), std::string(events::origin_name(e.origin)),
               std::string(events::kind_name(e.kind)), target, e.project, change(e),
               e.verdict.empty() ? "-" : e.verdict, e.rollback.empty() ? "-" : e.rollback});
  }
  table.print(std::cout);
  if (list->empty()) std::cout << "no patch events\n";
  return kExitOk;
}

}  // namespace

void add_events_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<EventsArgs>();
  auto* cmd = app.add_subcommand("events", "patch events from the daemon's store, newest first");
  add_config_options(*cmd, args->config_file, args->state_dir);
  cmd->add_flag("--json", args->json, "JSON (patchparty.events/v1) instead of a table");
  cmd->add_option("--since", args->since, "only events of the last DURATION (30m, 24h, 7d)");
  cmd->add_option("--limit", args->limit, "at most N events; 0 for all")->capture_default_str();
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace patchparty::cli
