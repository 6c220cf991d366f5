// patchparty fleet backlog|findings|status: the fleet's hosts found through Prometheus (or
// file_sd, or a list), each asked over its API, the answers merged into one plan.
#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>

#include "collectors/fleet_hosts/fleet_collect.h"
#include "core/base/duration.h"
#include "core/base/token_file.h"
#include "core/fleet/fleet_backlog.h"
#include "core/fleet/fleet_status.h"
#include "daemon/cli/commands.h"
#include "daemon/cli/exit_codes.h"
#include "exporters/backlog/fleet_writers.h"

namespace patchparty::cli {

namespace {

enum class FleetView { backlog, findings, status };

struct FleetArgs {
  fleet::FleetDiscovery discovery;
  std::string token_file, ca_file, cert_file, key_file;
  std::string format = "table", output;
  std::string timeout = "10s", stale_after = "26h";
  int parallel = 8;
};

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int run(FleetView view, const FleetArgs& args) {
  const std::string name = view == FleetView::backlog    ? "backlog"
                           : view == FleetView::findings ? "findings"
                                                         : "status";
  auto fail_with = [&](const std::string& message) {
    std::cerr << "patchparty fleet " << name << ": " << message << "\n";
    return kExitError;
  };
  auto format = exporters::parse_backlog_format(args.format);
  if (!format)
    return fail_with("--format: '" + args.format + "' is not one of md, csv, json, table");
  if (args.discovery.prometheus.empty() && args.discovery.hosts.empty() &&
      args.discovery.file_sd.empty())
    return fail_with("no hosts: give --prometheus URL, --hosts URL,... or --file-sd FILE");
  fleet::FleetClientOptions options;
  auto timeout = config::parse_duration(args.timeout);
  if (!timeout || timeout->count() <= 0) return fail_with("--timeout: '" + args.timeout + "'");
  options.timeout = *timeout;
  if (args.parallel < 1 || args.parallel > 256) return fail_with("--parallel: between 1 and 256");
  options.parallel = args.parallel;
  if (!args.token_file.empty()) {
    auto token = read_token_file(args.token_file, "--token-file");
    if (!token) return fail_with(token.error().message);
    options.token = *token;
  }
  if (args.cert_file.empty() != args.key_file.empty())
    return fail_with("--cert-file and --key-file go together");
  options.ca_file = args.ca_file;
  options.client_cert = args.cert_file;
  options.client_key = args.key_file;
  auto stale_after = config::parse_duration(args.stale_after);
  if (!stale_after || stale_after->count() <= 0)
    return fail_with("--stale-after: '" + args.stale_after + "'");

  auto targets = fleet::discover_targets(args.discovery, options);
  if (!targets) return fail_with(targets.error().message);
  if (targets->empty()) return fail_with("discovery found no hosts");

  std::ofstream file;
  if (!args.output.empty()) {
    file.open(args.output, std::ios::binary | std::ios::trunc);
    if (!file) return fail_with("cannot write " + args.output);
  }
  std::ostream& out = args.output.empty() ? std::cout : file;
  const std::int64_t now = unix_now();
  int code = kExitOk;
  bool partial = false;
  if (view == FleetView::backlog) {
    fleet::FleetBacklog merged = fleet::fetch_and_merge_backlogs(*targets, options, now);
    exporters::write_fleet_backlog(merged, *format, out);
    partial = !merged.not_included.empty();
    if (!merged.tasks.empty()) code = kExitNegative;
    for (const auto& h : merged.not_included)
      std::cerr << "patchparty fleet backlog: not included: " << h.instance << ": " << h.reason
                << "\n";
  } else if (view == FleetView::findings) {
    exporters::FleetFindings all;
    all.generated_at = now;
    for (auto& r : fleet::fetch_findings(*targets, options)) {
      if (!r.findings) {
        all.not_included.push_back({r.target.instance, r.target.url, r.findings.error().message});
        std::cerr << "patchparty fleet findings: not included: " << r.target.instance << ": "
                  << r.findings.error().message << "\n";
        continue;
      }
      ++all.hosts;
      for (auto& f : r.findings->findings) all.findings.push_back(std::move(f));
    }
    fleet::sort_fleet_findings(all.findings);
    out << exporters::render_fleet_findings(all, *format);
    partial = !all.not_included.empty();
    if (!all.findings.empty()) code = kExitNegative;
  } else {
    const auto stale_seconds =
        std::chrono::duration_cast<std::chrono::seconds>(*stale_after).count();
    auto statuses = fleet::fetch_statuses(*targets, options, now, stale_seconds);
    for (const auto& s : statuses) {
      partial = partial || !s.reachable;
      if (s.reachable && !s.stale.empty()) code = kExitNegative;
    }
    out << exporters::render_fleet_status(statuses, now, *format);
  }

  out.flush();
  if (!args.output.empty()) file.close();
  if (!out || (!args.output.empty() && !file)) return fail_with("cannot write " + args.output);
  return partial ? kExitPartial : code;
}

void add_view(CLI::App& fleet, FleetView view, const char* name, const char* help, int& exit_code) {
  auto args = std::make_shared<FleetArgs>();
  auto* cmd = fleet.add_subcommand(name, help);
  cmd->add_option("--prometheus", args->discovery.prometheus,
                  "a Prometheus server: the hosts are its targets whose job matches --job");
  cmd->add_option("--job", args->discovery.job, "regex the targets' job must match whole")
      ->capture_default_str();
  cmd->add_option("--hosts", args->discovery.hosts, "base URLs of patchpartyd, comma-separated")
      ->delimiter(',');
  cmd->add_option("--file-sd", args->discovery.file_sd, "a Prometheus file_sd JSON file");
  cmd->add_option("--token-file", args->token_file,
                  "file holding the bearer token the hosts ask for (api.read_token_file)");
  cmd->add_option("--ca-file", args->ca_file, "CA bundle that signed the hosts' certificates");
  cmd->add_option("--cert-file", args->cert_file, "client certificate, for hosts that ask for one");
  cmd->add_option("--key-file", args->key_file, "the client certificate's key");
  cmd->add_option("--format", args->format, "md, csv, json or table")->capture_default_str();
  cmd->add_option("-o,--output", args->output, "write to this file instead of stdout");
  cmd->add_option("--timeout", args->timeout, "per request to a host")->capture_default_str();
  cmd->add_option("--parallel", args->parallel, "hosts asked at once")->capture_default_str();
  if (view == FleetView::status)
    cmd->add_option("--stale-after", args->stale_after,
                    "a host whose last scan or oldest feed success is older is flagged stale")
        ->capture_default_str();
  cmd->callback([view, args, &exit_code] { exit_code = run(view, *args); });
}

}  // namespace

void add_fleet_command(CLI::App& app, int& exit_code) {
  auto* fleet = app.add_subcommand(
      "fleet",
      "the fleet's hosts, found through Prometheus, file_sd or a list, asked over their API");
  fleet->require_subcommand(1);
  add_view(*fleet, FleetView::backlog, "backlog",
           "one ranked backlog for every host; exit 1 with tasks, 3 when hosts are missing",
           exit_code);
  add_view(*fleet, FleetView::findings, "findings",
           "every host's open findings in one list; exit 1 with findings, 3 when hosts are missing",
           exit_code);
  add_view(*fleet, FleetView::status, "status",
           "per host: reachable, version, last scan, feeds, findings; exit 1 when one is stale, 3 "
           "when one is unreachable",
           exit_code);
}

}  // namespace patchparty::cli
