// patchparty restart-needed: which services and processes still run deleted or replaced
// libraries, and whether a reboot is pending, checked live (not from the daemon's store).
#include <chrono>
#include <iostream>

#include "collectors/restart/restart_check.h"
#include "config/config.h"
#include "core/report/restart_json.h"
#include "daemon/cli/commands.h"
#include "daemon/cli/config_options.h"
#include "daemon/cli/exit_codes.h"

namespace patchparty::cli {

namespace {

struct RestartArgs {
  std::string config_file, proc_root, root, bus;
  bool json = false;
};

void print_text(const RestartReport& r) {
  if (r.reboot_required) {
    std::cout << "Reboot required";
    for (std::size_t i = 0; i < r.reboot_packages.size(); ++i)
      std::cout << (i == 0 ? " (asked for by " : ", ") << r.reboot_packages[i];
    std::cout << (r.reboot_packages.empty() ? "\n" : ")\n");
  }
  if (r.kernel_outdated)
    std::cout << "Reboot to the new kernel: running " << r.running_kernel << ", installed "
              << r.newest_kernel << "\n";
  for (const auto& u : r.units) {
    std::cout << "restart " << u.unit << " (pid";
    for (int pid : u.pids) std::cout << " " << pid;
    std::cout << ")\n";
    for (const auto& l : u.libraries) std::cout << "    " << l << "\n";
  }
  for (const auto& p : r.processes) {
    std::cout << "process " << p.pid << " " << p.comm;
    if (!p.unit.empty()) std::cout << " (" << p.unit << ")";
    std::cout << "\n";
    for (const auto& f : p.files)
      std::cout << "    " << f.path << " (" << stale_reason_name(f.reason) << ")\n";
  }
  if (r.units.empty() && r.processes.empty() && !r.reboot_required)
    std::cout << "nothing needs a restart\n";
  std::cout << r.processes_scanned << " processes inspected";
  if (r.permission_denied > 0)
    std::cout << ", " << r.permission_denied << " not readable (permission denied)";
  if (r.truncated) std::cout << ", stopped at restart.max_processes";
  std::cout << "; units from " << r.unit_source << "\n";
}

int run(const RestartArgs& args) {
  auto c = load_cli_config(args.config_file);
  if (!c) {
    std::cerr << "patchparty restart-needed: " << c.error().message << "\n";
    return kExitError;
  }
  if (!args.proc_root.empty()) c->restart.proc_root = args.proc_root;
  if (!args.root.empty()) c->restart.root = args.root;
  if (!args.bus.empty()) c->restart.bus = args.bus;
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  const RestartReport report =
      restart::check_restart_needed(restart::check_options(c->restart), now);
  if (args.json)
    std::cout << restart::restart_report_json(report, true);
  else
    print_text(report);
  const bool work = report.reboot_required || report.stale_processes > 0;
  return work ? kExitNegative : kExitOk;
}

}  // namespace

void add_restart_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<RestartArgs>();
  auto* cmd = app.add_subcommand(
      "restart-needed",
      "services and processes running deleted or replaced libraries, and a pending reboot; "
      "exit 1 when something needs a restart");
  cmd->add_option("-c,--config", args->config_file, "configuration file (default: built-in)");
  cmd->add_option("--proc-root", args->proc_root, "proc file system (default: restart.proc_root)");
  cmd->add_option("--root", args->root, "root holding run/reboot-required (default: restart.root)");
  cmd->add_option("--bus", args->bus, "systemd manager for units: system, user or none")
      ->check(CLI::IsMember({"system", "user", "none"}));
  cmd->add_flag("--json", args->json, "print the report as JSON (patchparty.restart/v1)");
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace patchparty::cli
