#include "collectors/health/command_check.h"

#include <yaml-cpp/yaml.h>

#include "core/base/child_process.h"
#include "core/base/duration.h"
#include "core/base/one_line.h"
#include "core/base/yaml_reader.h"

namespace patchparty::health {

CommandCheck::CommandCheck(const config::HealthCheckConfig& c)
    : name_(c.name),
      argv_(c.command),
      timeout_(c.timeout),
      max_output_(static_cast<std::size_t>(c.max_output_bytes)) {}

Probe CommandCheck::probe(std::stop_token stop) {
  return run_command_probe(argv_, timeout_, max_output_, std::move(stop));
}

Probe run_command_probe(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                        std::size_t max_output, std::stop_token stop) {
  Probe p;
  p.at = WallClock::now();
  const auto started = std::chrono::steady_clock::now();
  auto r = run_child(argv, timeout, max_output, std::move(stop));
  p.latency = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  if (!r) {
    p.detail = one_line(r.error().message);
    return p;
  }
  std::string out = one_line(r->output) + (r->truncated ? " ..." : "");
  auto with_output = [&](std::string what) { return out.empty() ? what : what + ": " + out; };
  if (r->stopped) {
    p.detail = "stopped before the command finished";
  } else if (r->timed_out) {
    p.detail = with_output("timed out after " + config::format_duration(timeout) +
                           "; process group killed");
  } else if (r->exit_code) {
    p.value = *r->exit_code;
    p.healthy = *r->exit_code == 0;
    p.detail = with_output("exit " + std::to_string(*r->exit_code));
  } else {
    p.detail = with_output("killed by signal " + std::to_string(r->signal));
  }
  return p;
}

namespace {

void check_section(config::YamlReader& r, const YAML::Node& item, const std::string& p,
                   const config::HealthCheckConfig& c) {
  config::require_key(r, item, p, "command", !c.command.empty(), c.kind);
}

}  // namespace

CheckKind command_check_kind() {
  return CheckKind{
      .name = "command", .check = check_section, .make = construct_check<CommandCheck>};
}

}  // namespace patchparty::health
