#include "daemon/lifecycle/api_state.h"

#include "core/store/finding_tables.h"
#include "core/store/restart_store.h"
#include "daemon/lifecycle/feeds_report.h"
#include "daemon/lifecycle/party_job.h"
#include "daemon/scan/scan_run.h"

namespace patchparty::lifecycle {

Result<> ApiState::publish(store::Store& store, const config::Config& config,
                           const suppress::Suppressions& suppressions) {
  auto next = std::make_shared<ApiSnapshot>();
  next->config = config;
  next->suppressions = suppressions;
  PP_TRY(findings, store::load_findings(store.database()));
  next->findings = std::move(findings);
  PP_TRY(feeds, store::feed_statuses(store.database()));
  next->feeds = std::move(feeds);
  PP_TRY(scanned_at, store::last_scan_at(store.database()));
  next->info.host = scan::host_name(config);
  next->info.scanned_at = scanned_at.value_or(0);
  if (config.restart.enabled) {
    PP_TRY(restart, restart::load_restart_report(store.database()));
    next->restart = std::move(restart);
  }
  for (const auto& project : config.projects)
    next->info.project_roots[project.name] = project.path.string();
  std::shared_ptr<const ApiSnapshot> old;
  {
    std::lock_guard lock(mu_);
    old = std::exchange(snapshot_, std::move(next));
  }
  // `old` is freed here, outside the lock, unless a request still renders from it.
  return {};
}

void ApiState::scan_finished(const Result<void>& outcome) {
  std::lock_guard lock(mu_);
  if (outcome) {
    scanned_ = true;
    scan_error_.clear();
  } else if (!scanned_) {
    scan_error_ = outcome.error().message;
  }
}

void ApiState::connect_worker(std::function<bool()> alive, std::function<void()> request_scan,
                              SubmitEvent submit_event) {
  std::lock_guard lock(mu_);
  alive_ = std::move(alive);
  request_scan_ = std::move(request_scan);
  submit_event_ = std::move(submit_event);
}

bool ApiState::alive() const {
  std::function<bool()> alive;
  {
    std::lock_guard lock(mu_);
    alive = alive_;
  }
  return alive && alive();
}

std::optional<std::string> ApiState::not_ready() const {
  std::lock_guard lock(mu_);
  if (scanned_) return std::nullopt;
  if (!scan_error_.empty()) return "the first scan failed: " + scan_error_;
  return std::string("waiting for the first scan since start");
}

Result<std::shared_ptr<const ApiSnapshot>> ApiState::current() const {
  std::lock_guard lock(mu_);
  if (!snapshot_) return fail(Errc::failed_precondition, "no data yet: the daemon is starting");
  return snapshot_;
}

Result<http::RankedFindings> ApiState::findings(std::int64_t now) const {
  PP_TRY(s, current());
  http::RankedFindings out{s->findings, s->info};
  scan::rank_and_suppress(out.findings, s->config, s->suppressions, now);
  return out;
}

Result<exporters::Backlog> ApiState::backlog(std::int64_t now, bool since_last_party) const {
  PP_TRY(s, current());
  PP_TRY(backlog,
         backlog_from_findings(s->findings, s->config, s->suppressions, now, since_last_party));
  backlog.restart = s->restart;
  return backlog;
}

Result<std::string> ApiState::feeds_json() const {
  PP_TRY(s, current());
  return feed_statuses_json(s->feeds);
}

bool ApiState::request_scan() {
  std::function<void()> request;
  {
    std::lock_guard lock(mu_);
    request = request_scan_;
  }
  if (!request) return false;
  request();
  return true;
}

}  // namespace patchparty::lifecycle

namespace patchparty::lifecycle {

Result<std::optional<events::PatchEvent>> ApiState::record_deploy(events::PatchEvent event,
                                                                  std::chrono::milliseconds wait) {
  SubmitEvent submit;
  {
    std::lock_guard lock(mu_);
    submit = submit_event_;
  }
  if (!submit) return fail(Errc::unavailable, "the worker is not running");
  auto stored = submit(std::move(event));
  if (stored.wait_for(wait) != std::future_status::ready)
    return std::optional<events::PatchEvent>();
  PP_TRY(e, stored.get());
  return std::optional<events::PatchEvent>(std::move(e));
}

}  // namespace patchparty::lifecycle
