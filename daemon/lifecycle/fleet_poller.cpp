#include "daemon/lifecycle/fleet_poller.h"

#include <chrono>

#include "collectors/fleet_hosts/fleet_collect.h"
#include "core/base/log.h"
#include "core/base/token_file.h"
#include "core/base/unix_time.h"
#include "daemon/lifecycle/party_job.h"

namespace patchparty::lifecycle {

namespace {

std::int64_t seconds(config::Duration d) {
  return std::chrono::duration_cast<std::chrono::seconds>(d).count();
}

}  // namespace

FleetPoller::FleetPoller(config::Config config) : config_(std::move(config)) {}

FleetPoller::~FleetPoller() {
  if (thread_.joinable()) {
    thread_.request_stop();
    wake_.notify_all();
  }
}

void FleetPoller::start() {
  thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

std::shared_ptr<const FleetSnapshot> FleetPoller::latest() const {
  std::lock_guard lock(mu_);
  return latest_;
}

FleetSnapshot FleetPoller::poll(std::int64_t now, std::stop_token stop) const {
  const config::FleetConfig& f = config_.fleet;
  FleetSnapshot s;
  s.at = now;
  fleet::FleetClientOptions options;
  options.timeout = f.timeout;
  options.parallel = static_cast<int>(f.parallel);
  options.ca_file = f.ca_file.string();
  options.client_cert = f.cert_file.string();
  options.client_key = f.key_file.string();
  options.stop = stop;
  // Read at every poll, so a rotated token is used from the next one on.
  if (!f.token_file.empty()) {
    auto token = read_token_file(f.token_file, "fleet.token_file");
    if (!token) {
      s.error = token.error().message;
      return s;
    }
    options.token = *token;
  }
  fleet::FleetDiscovery where{f.prometheus, f.job, f.hosts, f.file_sd};
  auto targets = fleet::discover_targets(where, options);
  if (!targets) {
    s.error = targets.error().message;
    return s;
  }
  s.backlog = fleet::fetch_and_merge_backlogs(*targets, options, now);
  // Stale after two rounds of the host's own inventory without a scan.
  s.statuses = fleet::fetch_statuses(*targets, options, now,
                                     2 * seconds(config_.inventory.interval) + seconds(f.interval));
  return s;
}

void FleetPoller::run(std::stop_token stop) {
  std::mutex wait_mu;
  while (!stop.stop_requested()) {
    const std::int64_t now = unix_now();
    auto snapshot = std::make_shared<FleetSnapshot>(poll(now, stop));
    if (stop.stop_requested()) break;  // a round cut short says nothing about the fleet
    if (!snapshot->error.empty()) {
      log::warning("fleet: " + snapshot->error);
    } else {
      log::info("fleet: " + std::to_string(snapshot->backlog.summary.hosts) + " hosts, " +
                std::to_string(snapshot->backlog.summary.hosts_not_included) + " not included, " +
                std::to_string(snapshot->backlog.summary.tasks) + " tasks");
      // The fleet's plan goes out with this host's own backlog, once per party.
      if (auto times = party_times(config_.party, now);
          times && times->next && now >= *times->next - seconds(config_.party.export_before)) {
        auto written = export_fleet_backlog_if_new(snapshot->backlog, config_, *times->next);
        if (!written)
          log::error("fleet: the party's fleet backlog was not written: " +
                     written.error().message);
        else if (!written->empty())
          log::notice("fleet: wrote " + written->front().parent_path().string() +
                      "/fleet-backlog-*.{md,csv,json} for the party");
      }
    }
    {
      std::lock_guard lock(mu_);
      latest_ = std::move(snapshot);
    }
    std::unique_lock lock(wait_mu);
    wake_.wait_for(lock, stop, config_.fleet.interval, [] { return false; });
  }
}

}  // namespace patchparty::lifecycle
