// The fleet as this daemon sees it (config `fleet:`): a thread of its own asks every host every
// fleet.interval, keeps the latest merged backlog and statuses for /api/v1/fleet/*, and writes
// the fleet's plan party.export_before each party. Network waits never touch the worker thread
// or the store.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "config/config.h"
#include "core/fleet/fleet_backlog.h"
#include "core/fleet/fleet_status.h"

namespace patchparty::lifecycle {

struct FleetSnapshot {
  std::int64_t at = 0;  // unix seconds of the poll
  fleet::FleetBacklog backlog;
  std::vector<fleet::HostStatus> statuses;
  std::string error;  // discovery failed (no host list): why; the rest is then empty
};

class FleetPoller {
 public:
  // Does nothing until start(); `config` is copied (a SIGHUP change needs a restart).
  explicit FleetPoller(config::Config config);
  ~FleetPoller();  // stops and joins
  FleetPoller(const FleetPoller&) = delete;
  FleetPoller& operator=(const FleetPoller&) = delete;

  void start();
  // nullptr before the first poll has finished.
  std::shared_ptr<const FleetSnapshot> latest() const;

 private:
  void run(std::stop_token stop);
  FleetSnapshot poll(std::int64_t now, std::stop_token stop) const;

  const config::Config config_;
  mutable std::mutex mu_;
  std::shared_ptr<const FleetSnapshot> latest_;
  std::condition_variable_any wake_;
  std::jthread thread_;
};

}  // namespace patchparty::lifecycle
