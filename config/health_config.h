// health: continuous checks of the services a patch could break (docs/patch-watch-and-rollback.md
// "Health checks"). Their history is the baseline a patch's watch window is compared with.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/duration.h"
#include "core/base/result.h"

namespace YAML {
class Node;
}

namespace patchparty::config {

class YamlReader;

// "< 0.5", ">= 1": what a prometheus_query value must satisfy.
struct Threshold {
  enum class Op { lt, le, gt, ge };
  Op op = Op::lt;
  double value = 0;
  bool holds(double v) const;
  std::string to_string() const;
  bool operator==(const Threshold&) const = default;
};
[[nodiscard]] Result<Threshold> parse_threshold(std::string_view text);

struct StatusRange {
  int first = 200, last = 200;  // inclusive
  bool operator==(const StatusRange&) const = default;
};

struct HealthCheckConfig {
  std::string name;  // the {check} label: letters, digits, '-', '_', '.'; starts alphanumeric
  std::string kind;  // one of health_check_kinds() (config/kinds.h): http, systemd_unit, ...
  Duration interval = std::chrono::seconds(30);
  Duration timeout = std::chrono::seconds(10);
  // http: the URL probed; prometheus_query: the Prometheus base URL.
  std::string url;
  // http
  std::vector<StatusRange> expected_status;  // empty: 200 only
  Duration max_latency{0};                   // 0: only the timeout bounds it
  std::string body_regex;                    // ECMAScript, searched in the first body bytes
  std::int64_t max_body_bytes = 64 << 10;
  std::filesystem::path ca_file, client_cert, client_key;
  bool insecure_skip_verify = false;
  // systemd_unit
  std::string unit;
  std::string bus = "system";                                  // system | user
  std::vector<std::string> expected_states{"active/running"};  // "ActiveState[/SubState]"
  // prometheus_query
  std::string query;
  std::optional<Threshold> threshold;
  double max_ratio = 0;  // > 0: ratio mode, value <= baseline x max_ratio
  // command, and backup by command
  std::vector<std::string> command;
  std::int64_t max_output_bytes = 4 << 10;
  // backup by file
  std::filesystem::path file;
  Duration max_age{0};
  bool operator==(const HealthCheckConfig&) const = default;
};

struct HealthConfig {
  std::int64_t history = 1000;  // probes kept per check
  std::vector<HealthCheckConfig> checks;
  bool operator==(const HealthConfig&) const = default;
};

// Safe as a label value, a file name and an argv word: no leading '-'.
bool valid_check_name(std::string_view name);

namespace detail {
void read_health(YamlReader& r, const YAML::Node& node, HealthConfig& out);
}

}  // namespace patchparty::config
