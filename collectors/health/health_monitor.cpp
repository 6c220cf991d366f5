#include "collectors/health/health_monitor.h"

#include "collectors/health/baseline.h"
#include "collectors/health/builtin_checks.h"

namespace patchparty::health {

HealthMonitor::HealthMonitor(std::vector<MonitoredCheck> checks, std::size_t history,
                             HealthMetrics* metrics)
    : history_(std::max<std::size_t>(history, 1)), metrics_(metrics) {
  for (auto& c : checks) {
    auto slot = std::make_unique<Slot>();
    slot->spec = std::move(c);
    slots_.push_back(std::move(slot));
  }
}

Result<std::unique_ptr<HealthMonitor>> HealthMonitor::from_config(
    const config::HealthConfig& config, HealthMetrics* metrics) {
  std::vector<MonitoredCheck> checks;
  for (const auto& c : config.checks) {
    PP_TRY(check, make_check(c));
    checks.push_back(MonitoredCheck{.check = std::move(check),
                                    .interval = c.interval,
                                    .max_ratio = c.max_ratio,
                                    .exports_backup_age = c.kind == "backup" && !c.file.empty()});
  }
  return std::make_unique<HealthMonitor>(std::move(checks),
                                         static_cast<std::size_t>(config.history), metrics);
}

HealthMonitor::~HealthMonitor() {
  stop();
}

void HealthMonitor::start() {
  for (auto& slot : slots_) {
    Slot* s = slot.get();
    s->thread = std::jthread([this, s](std::stop_token stop) { run(*s, stop); });
  }
}

void HealthMonitor::stop() {
  if (stopped_) return;
  stopped_ = true;
  // All at once, so stopping takes the longest probe's time, not the sum.
  for (auto& s : slots_) s->thread.request_stop();
  for (auto& s : slots_) {
    if (s->thread.joinable()) s->thread.join();
    if (metrics_) metrics_->remove(s->spec.check->name());
  }
}

void HealthMonitor::run(Slot& slot, std::stop_token stop) {
  using Steady = std::chrono::steady_clock;
  auto next = Steady::now();
  while (!stop.stop_requested()) {
    Probe p = slot.spec.check->probe(stop);
    if (stop.stop_requested()) break;  // a probe cut short says nothing about the service
    record(slot, std::move(p));
    next += slot.spec.interval;
    // After a probe longer than the interval, start the next one now rather than catching up.
    if (next < Steady::now()) next = Steady::now();
    std::unique_lock lock(slot.wait_mu);
    slot.wake.wait_until(lock, stop, next, [] { return false; });
  }
}

void HealthMonitor::record(Slot& slot, Probe p) {
  const std::string_view name = slot.spec.check->name();
  if (slot.spec.max_ratio > 0 && p.healthy && p.value) {
    std::optional<double> base;
    {
      std::lock_guard lock(slot.mu);
      std::vector<Probe> prior(slot.ring.begin(), slot.ring.end());
      base = baseline_median(prior, p.at);
    }
    if (base && !within_ratio(*p.value, *base, slot.spec.max_ratio)) {
      p.healthy = false;
      char buf[128];
      std::snprintf(buf, sizeof buf, " (over %g x baseline %g)", slot.spec.max_ratio, *base);
      p.detail += buf;
    }
  }
  if (metrics_) metrics_->record(name, p, slot.spec.exports_backup_age);
  std::lock_guard lock(slot.mu);
  slot.ring.push_back(std::move(p));
  while (slot.ring.size() > history_) slot.ring.pop_front();
  ++slot.count;
}

const HealthMonitor::Slot* HealthMonitor::find(std::string_view check) const {
  for (const auto& s : slots_) {
    if (s->spec.check->name() == check) return s.get();
  }
  return nullptr;
}

std::vector<std::string> HealthMonitor::checks() const {
  std::vector<std::string> out;
  for (const auto& s : slots_) out.emplace_back(s->spec.check->name());
  return out;
}

std::string_view HealthMonitor::kind_of(std::string_view check) const {
  const Slot* s = find(check);
  return s ? s->spec.check->kind() : std::string_view();
}

std::vector<Probe> HealthMonitor::history(std::string_view check,
                                          WallClock::time_point since) const {
  std::vector<Probe> out;
  const Slot* s = find(check);
  if (!s) return out;
  std::lock_guard lock(s->mu);
  for (const auto& p : s->ring) {
    if (p.at >= since) out.push_back(p);
  }
  return out;
}

std::optional<Probe> HealthMonitor::last(std::string_view check) const {
  const Slot* s = find(check);
  if (!s) return std::nullopt;
  std::lock_guard lock(s->mu);
  if (s->ring.empty()) return std::nullopt;
  return s->ring.back();
}

std::optional<double> HealthMonitor::baseline(std::string_view check,
                                              WallClock::time_point before) const {
  auto all = history(check);
  return baseline_median(all, before);
}

std::uint64_t HealthMonitor::probe_count(std::string_view check) const {
  const Slot* s = find(check);
  if (!s) return 0;
  std::lock_guard lock(s->mu);
  return s->count;
}

}  // namespace patchparty::health
