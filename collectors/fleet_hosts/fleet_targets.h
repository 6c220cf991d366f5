// Which hosts make the fleet: the targets Prometheus already scrapes (GET /api/v1/targets, the
// jobs matching a regex), a Prometheus file_sd JSON file, or a static list of base URLs. No
// registry or agent of our own: the fleet is what the monitoring already knows.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"

namespace patchparty::fleet {

struct FleetTarget {
  std::string instance;  // Prometheus' instance label, or HOST:PORT of the URL
  std::string url;       // scheme://host:port, no trailing slash: where /api/v1/... is asked
};

// Where to look; the sources add up, and a base URL found twice is asked once.
struct FleetDiscovery {
  std::string prometheus;            // base URL of a Prometheus server
  std::string job = "patchparty.*";  // regex the target's job must match whole
  std::vector<std::string> hosts;    // base URLs
  std::filesystem::path file_sd;     // a file_sd JSON file
};

// "http://10.0.0.5:9877/" -> {instance "10.0.0.5:9877", url "http://10.0.0.5:9877"}; anything
// but an http(s) URL with a host, and at most a "/" path, is invalid_argument.
[[nodiscard]] Result<FleetTarget> target_from_url(std::string_view url);

// The active targets of a /api/v1/targets answer whose job matches `job` (whole), each at its
// scrape URL's scheme and address. invalid_argument for a bad regex, data_loss for an answer
// that is not the Prometheus API's.
[[nodiscard]] Result<std::vector<FleetTarget>> parse_prometheus_targets(std::string_view json,
                                                                        std::string_view job);

// A file_sd document: [{"targets": ["host:port", ...], "labels": {"__scheme__": "https"}}, ...].
[[nodiscard]] Result<std::vector<FleetTarget>> parse_file_sd(std::string_view json);

// Sorted by instance then URL, each URL once.
std::vector<FleetTarget> distinct_targets(std::vector<FleetTarget> targets);

}  // namespace patchparty::fleet
