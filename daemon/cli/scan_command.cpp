// patchparty scan: a one-shot inventory + feeds + correlation for pipelines and audits. It keeps
// nothing: the store it needs lives in a scratch directory removed on exit.
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>

#include "collectors/feeds/builtin_feeds.h"
#include "collectors/inventory/inventory_plan.h"
#include "config/config.h"
#include "core/base/unix_time.h"
#include "core/store/store.h"
#include "daemon/cli/commands.h"
#include "daemon/cli/config_options.h"
#include "daemon/cli/exit_codes.h"
#include "daemon/cli/scan_sources.h"
#include "daemon/cli/text_table.h"
#include "daemon/lifecycle/feed_job.h"
#include "daemon/lifecycle/inventory_job.h"
#include "daemon/scan/scan_run.h"
#include "exporters/backlog/scan_report.h"

namespace patchparty::cli {

namespace fs = std::filesystem;

namespace {

struct ScanArgs {
  std::string config_file, format = "table", output, ecosystem;
  std::vector<std::string> feeds, inventories;
};

class ScratchDir {
 public:
  static Result<ScratchDir> create() {
    std::string tmpl = (fs::temp_directory_path() / "patchparty-scan-XXXXXX").string();
    if (!::mkdtemp(tmpl.data()))
      return fail(Errc::failed_precondition,
                  "cannot create a scratch directory in " + fs::temp_directory_path().string());
    return ScratchDir(tmpl);
  }
  ScratchDir(ScratchDir&& o) noexcept : path_(std::exchange(o.path_, {})) {}
  ScratchDir& operator=(ScratchDir&&) = delete;
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  explicit ScratchDir(fs::path p) : path_(std::move(p)) {}
  fs::path path_;
};

Result<> inventory_from_args(const ScanArgs& args, const config::Config& c, store::Store& store,
                             std::int64_t now) {
  for (const auto& arg : args.inventories) {
    PP_TRY(in, parse_inventory_arg(arg, args.ecosystem,
                                   static_cast<std::size_t>(c.inventory.max_file_bytes)));
    auto packages = in.source->scan();
    if (!packages)
      return fail(packages.error().code, "--inventory " + in.kind + "=" + in.path.string() + ": " +
                                             packages.error().message);
    for (const auto& note : in.source->notes())
      std::cerr << "warning: --inventory " << in.kind << "=" << in.path.string() << ": " << note
                << "\n";
    PP_CHECK(store.save_inventory(in.kind, in.project, *packages, now));
  }
  return {};
}

Result<> feeds_into(const std::vector<config::FeedConfig>& configs, const fs::path& scratch,
                    store::Store& store) {
  PP_TRY(feeds, feeds::make_feeds(configs));
  feeds::Fetcher fetcher(scratch / "downloads", lifecycle::user_agent());
  for (auto& feed : feeds) {
    auto r = lifecycle::run_feed(*feed, fetcher, store, {});
    if (!r) {
      // Feeds built from a FeedConfig already name themselves; say it once.
      const std::string prefix = "feed " + std::string(feed->name()) + ": ";
      if (r.error().message.starts_with(prefix)) return tl::make_unexpected(r.error());
      return fail(r.error().code, prefix + r.error().message);
    }
  }
  return {};
}

std::string format_risk(double risk) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f", risk);
  return buf;
}

void print_table(const scan::ScanReport& report, std::ostream& out) {
  std::vector<const Finding*> rows;
  for (const auto& f : report.findings) rows.push_back(&f);
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Finding* a, const Finding* b) { return a->risk > b->risk; });
  TextTable t({"RISK", "SEVERITY", "PACKAGE", "INSTALLED", "FIXED", "VULNERABILITY", "KEV",
               "PROJECT", "NOTE"});
  std::size_t active = 0;
  for (const Finding* f : rows) {
    std::string note;
    if (f->suppressed()) {
      note = "suppressed: " + f->suppression->reason.substr(0, 40);
    } else {
      ++active;
      if (f->suppression) note = "suppression expired";
      // Both facts matter at the party: an expired waiver on a package with no fix yet.
      if (!f->fix_available())
        note += (note.empty() ? "" : "; ") + std::string(fix_status_name(f->fix_status));
      // The FIXED column is the distribution's; this build comes from elsewhere.
      if (f->package.third_party)
        note += (note.empty() ? "" : "; ") + std::string("third party (") + f->package.supplier +
                "): the fix is the distribution's";
    }
    t.add({format_risk(f->risk), std::string(severity_name(f->severity)), f->package.name,
           f->package.version, f->fixed_version.empty() ? "-" : f->fixed_version, f->vulnerability,
           f->kev ? "yes" : "", f->project.empty() ? "(host)" : f->project, note});
  }
  t.print(out);
  out << report.findings.size() << " findings (" << active << " active, "
      << report.findings.size() - active << " suppressed) in " << report.packages << " packages\n";
}

int run(const ScanArgs& args) {
  auto c = load_cli_config(args.config_file);
  // Every error names the command, as backlog's do, so a pipeline log says which step failed.
  auto fail_with = [](const Error& e) {
    std::cerr << "patchparty scan: " << e.message << "\n";
    return kExitError;
  };
  if (!c) return fail_with(c.error());
  if (args.format != "table" && args.format != "json" && args.format != "sarif")
    return fail_with(Error{Errc::invalid_argument,
                           "--format: '" + args.format + "' is not one of table, json, sarif"});
  std::vector<config::FeedConfig> feed_configs;
  for (std::size_t i = 0; i < args.feeds.size(); ++i) {
    auto f = parse_feed_arg(args.feeds[i], i);
    if (!f) return fail_with(f.error());
    feed_configs.push_back(std::move(*f));
  }
  auto suppressions = suppress::load_suppressions(c->suppressions);
  if (!suppressions) return fail_with(suppressions.error());
  auto scratch = ScratchDir::create();
  if (!scratch) return fail_with(scratch.error());
  c->state_dir = scratch->path();
  auto store = store::Store::open(scratch->path());
  if (!store) return fail_with(store.error());
  const std::int64_t now = unix_now();

  if (!args.inventories.empty()) {
    if (auto r = inventory_from_args(args, *c, *store, now); !r) return fail_with(r.error());
  } else {
    auto r = lifecycle::run_inventory(*c, *store, {});
    if (!r) return fail_with(r.error());
    if (r->sources_failed > 0)
      return fail_with(Error{Errc::data_loss, std::to_string(r->sources_failed) +
                                                  " inventory source(s) failed; see the log"});
  }
  if (feed_configs.empty())
    feed_configs = lifecycle::effective_feeds(*c, inventory::plan_inventory(*c));
  if (auto r = feeds_into(feed_configs, scratch->path(), *store); !r) return fail_with(r.error());

  auto report = scan::run_scan(*store, *c, *suppressions, now);
  if (!report) return fail_with(report.error());
  for (const auto& p : report->problems)
    std::cerr << "patchparty scan: " << p.ecosystem << " " << p.package << " " << p.version
              << " against " << p.advisory << ": " << p.message << "\n";

  exporters::ScanInfo info;
  info.host = report->host;
  info.scanned_at = now;
  for (const auto& project : c->projects) info.project_roots[project.name] = project.path.string();
  std::string text;
  if (args.format == "json") {
    text = exporters::findings_json(report->findings, info);
  } else if (args.format == "sarif") {
    text = exporters::findings_sarif(report->findings, info);
  }
  if (!args.output.empty()) {
    std::ofstream f(args.output, std::ios::binary | std::ios::trunc);
    if (args.format == "table") {
      print_table(*report, f);
    } else {
      f << text;
    }
    if (!f.flush()) {
      std::cerr << "patchparty scan: cannot write " << args.output << "\n";
      return kExitError;
    }
  } else if (args.format == "table") {
    print_table(*report, std::cout);
  } else {
    std::cout << text;
  }
  const bool active = std::any_of(report->findings.begin(), report->findings.end(),
                                  [](const Finding& f) { return !f.suppressed(); });
  return active ? kExitNegative : kExitOk;
}

}  // namespace

void add_scan_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ScanArgs>();
  auto* cmd = app.add_subcommand(
      "scan", "one-shot scan for pipelines: exit 0 no findings, 1 findings, 2 error");
  cmd->add_option("-c,--config", args->config_file, "configuration file (default: built-in)");
  cmd->add_option("--feed", args->feeds,
                  "KIND=PATH_OR_URL advisory source (repeatable; default: the configured feeds)");
  cmd->add_option("--inventory", args->inventories,
                  "KIND=PATH: dpkg|rpm|apk database or root, composer|npm lockfile or directory "
                  "(repeatable; default: this host as configured)");
  cmd->add_option("--ecosystem", args->ecosystem,
                  "OSV ecosystem of host packages, e.g. Debian:12 (default: from os-release)");
  cmd->add_option("--format", args->format, "table, json or sarif")->capture_default_str();
  cmd->add_option("-o,--output", args->output, "write to this file instead of stdout");
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace patchparty::cli
