// Asks every host of the fleet at once, a bounded number at a time, each within its own
// deadline. A host that is down, slow or refuses us is an error for that host alone.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <span>
#include <stop_token>
#include <string>
#include <string_view>

#include "collectors/fleet_hosts/fleet_targets.h"
#include "core/base/result.h"

namespace patchparty::fleet {

struct FleetClientOptions {
  std::string token;    // sent as "Authorization: Bearer"; empty: none
  std::string ca_file;  // the CA that signed the hosts' certificates; empty: the system's
  std::string client_cert, client_key;       // for hosts that ask for a client certificate
  std::chrono::milliseconds timeout{10000};  // per request
  int parallel = 8;
  std::uint64_t max_body_bytes = 64u << 20;
  // A daemon stopping: requests in flight end within about a second, no new host is asked.
  std::stop_token stop;
};

// GET `url` (a host's base URL plus path) as the fleet asks: the body of a 200, else an error
// whose message is the reason a person reads ("401: wrong bearer token", "connection refused").
[[nodiscard]] Result<std::string> fleet_get(const std::string& url,
                                            const FleetClientOptions& options);

// Calls `on_host(i, targets[i])` for every target from at most `options.parallel` threads; it
// returns when all have. `on_host` must be safe to call concurrently for different i.
void for_each_host(std::span<const FleetTarget> targets, const FleetClientOptions& options,
                   const std::function<void(std::size_t, const FleetTarget&)>& on_host);

}  // namespace patchparty::fleet
