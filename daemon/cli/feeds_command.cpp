#include <chrono>
#include <iostream>

#include "collectors/feeds/builtin_feeds.h"
#include "collectors/inventory/inventory_plan.h"
#include "config/config.h"
#include "core/store/advisory_tables.h"
#include "core/store/store.h"
#include "daemon/cli/commands.h"
#include "daemon/cli/config_options.h"
#include "daemon/cli/exit_codes.h"
#include "daemon/cli/progress_bar.h"
#include "daemon/cli/text_table.h"
#include "daemon/lifecycle/feed_job.h"
#include "daemon/lifecycle/feeds_report.h"

namespace patchparty::cli {

namespace {

struct FeedArgs {
  std::string config_file, state_dir, feed;
  bool json = false;
};

Result<config::Config> load(const FeedArgs& a) {
  auto c = load_cli_config(a.config_file, a.state_dir);
  return c;
}

std::string age(std::int64_t then) {
  if (then <= 0) return "never";
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  return config::format_duration(std::chrono::seconds(std::max<std::int64_t>(0, now - then))) +
         " ago";
}

int update(const FeedArgs& args) {
  auto c = load(args);
  if (!c) {
    std::cerr << c.error().message << "\n";
    return kExitError;
  }
  auto plan = inventory::plan_inventory(*c);
  auto configs = lifecycle::effective_feeds(*c, plan);
  if (!args.feed.empty()) {
    std::erase_if(configs, [&](const config::FeedConfig& f) { return f.name != args.feed; });
    if (configs.empty()) {
      std::cerr << "no feed named '" << args.feed << "'\n";
      return kExitError;
    }
  }
  auto feeds = feeds::make_feeds(configs);
  if (!feeds) {
    std::cerr << feeds.error().message << "\n";
    return kExitError;
  }
  auto store = store::Store::open(c->state_dir);
  if (!store) {
    std::cerr << "cannot open the store in " << c->state_dir << ": " << store.error().message
              << "\n";
    return kExitError;
  }
  feeds::Fetcher fetcher(c->state_dir / "downloads", lifecycle::user_agent());
  int rc = kExitOk;
  for (auto& feed : *feeds) {
    ProgressBar bar(std::string(feed->name()));
    auto r = lifecycle::run_feed(*feed, fetcher, *store, {},
                                 [&](std::uint64_t d, std::uint64_t t) { bar.update(d, t); });
    if (!r) {
      std::cout << feed->name() << ": failed: " << r.error().message << "\n";
      rc = kExitError;
      continue;
    }
    if (r->status == feeds::Refresh::not_modified) {
      std::cout << feed->name() << ": not modified (" << r->records << " records)\n";
    } else {
      std::cout << feed->name() << ": " << r->records << " records, " << r->skipped << " skipped";
      if (!r->sync_mode.empty()) std::cout << ", " << r->sync_mode << " sync";
      std::cout << ", " << r->bytes << " bytes\n";
    }
  }
  return rc;
}

int status(const FeedArgs& args) {
  auto c = load(args);
  if (!c) {
    std::cerr << c.error().message << "\n";
    return kExitError;
  }
  auto store = store::Store::open_read_only(c->state_dir);
  if (!store) {
    std::cerr << "cannot read the store in " << c->state_dir << ": " << store.error().message
              << "\n";
    return kExitError;
  }
  auto statuses = store::feed_statuses(store->database());
  if (!statuses) {
    std::cerr << statuses.error().message << "\n";
    return kExitError;
  }
  if (args.json) {
    std::cout << lifecycle::feed_statuses_json(*statuses);
  } else {
    TextTable t({"FEED", "KIND", "RECORDS", "LAST SUCCESS", "SYNC", "BYTES", "CURSOR", "FAILURES",
                 "LAST ERROR"});
    for (const auto& s : *statuses)
      t.add({s.feed, s.kind, std::to_string(s.record_count), age(s.last_success_at),
             s.sync_mode.substr(0, 60), std::to_string(s.bytes),
             s.cursor.substr(0, s.cursor.find(' ')), std::to_string(s.failures),
             s.last_error.substr(0, 80)});
    t.print(std::cout);
  }
  // A feed whose last attempt failed is worth a non-zero exit for scripts and checks.
  for (const auto& s : *statuses) {
    if (s.failures > 0) return kExitNegative;
  }
  return kExitOk;
}

}  // namespace

void add_feeds_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("feeds", "advisory and enrichment feeds");
  cmd->require_subcommand(1);
  auto args = std::make_shared<FeedArgs>();
  auto* up = cmd->add_subcommand("update", "fetch and ingest feeds now");
  up->add_option("--feed", args->feed, "only this feed (by name)");
  auto* st =
      cmd->add_subcommand("status", "freshness and errors of each feed; exit 1 if any failed");
  st->add_flag("--json", args->json, "JSON for tools");
  for (auto* sub : {up, st}) {
    add_config_options(*sub, args->config_file, args->state_dir);
  }
  up->callback([args, &exit_code] { exit_code = update(*args); });
  st->callback([args, &exit_code] { exit_code = status(*args); });
}

}  // namespace patchparty::cli
