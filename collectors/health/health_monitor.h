// Runs every health check at its interval, each on its own thread so a slow probe delays no
// other check and never the worker, and keeps a bounded history per check: the baseline a
// patch's watch window is compared with. A reload replaces the whole monitor.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "collectors/health/health_check.h"
#include "collectors/health/health_metrics.h"
#include "config/health_config.h"
#include "core/base/result.h"

namespace patchparty::health {

struct MonitoredCheck {
  std::unique_ptr<HealthCheck> check;
  std::chrono::milliseconds interval{std::chrono::seconds(30)};
  double max_ratio = 0;             // > 0: healthy only while value <= baseline x max_ratio
  bool exports_backup_age = false;  // file-based backup: value is the age in seconds
};

class HealthMonitor {
 public:
  // `metrics` may be null; it must outlive the monitor. Threads start in start().
  HealthMonitor(std::vector<MonitoredCheck> checks, std::size_t history, HealthMetrics* metrics);
  [[nodiscard]] static Result<std::unique_ptr<HealthMonitor>> from_config(
      const config::HealthConfig& config, HealthMetrics* metrics);
  HealthMonitor(const HealthMonitor&) = delete;
  HealthMonitor& operator=(const HealthMonitor&) = delete;
  ~HealthMonitor();

  // Probes each check at once, then every interval after the previous probe started.
  void start();
  // Interrupts waits and running probes, joins the threads and drops the checks' series.
  void stop();

  // Query API for the watch engine; safe from any thread.
  std::vector<std::string> checks() const;
  std::string_view kind_of(std::string_view check) const;  // empty for an unknown check
  // Probes started at or after `since`, oldest first.
  std::vector<Probe> history(std::string_view check, WallClock::time_point since = {}) const;
  std::optional<Probe> last(std::string_view check) const;
  // Median value of the probes before `before` (see baseline.h).
  std::optional<double> baseline(std::string_view check, WallClock::time_point before) const;
  // Probes taken since start, including those the history has dropped.
  std::uint64_t probe_count(std::string_view check) const;

 private:
  struct Slot {
    MonitoredCheck spec;
    mutable std::mutex mu;
    std::deque<Probe> ring;
    std::uint64_t count = 0;
    std::mutex wait_mu;
    std::condition_variable_any wake;
    std::jthread thread;
  };

  void run(Slot& slot, std::stop_token stop);
  void record(Slot& slot, Probe p);
  const Slot* find(std::string_view check) const;

  std::vector<std::unique_ptr<Slot>> slots_;
  std::size_t history_;
  HealthMetrics* metrics_;
  bool stopped_ = false;
};

}  // namespace patchparty::health
