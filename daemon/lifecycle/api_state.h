// What patchpartyd's HTTP API reads: a snapshot the worker publishes after each job.
//
// Threads. The SQLite Store belongs to the worker thread (store.h). Two ways were open to the
// request threads: (a) the worker publishes an immutable snapshot, a shared_ptr<const
// ApiSnapshot> swapped under a mutex, from which requests render; (b) a second, read-only
// SQLite connection behind a mutex. This is (a): a request holds the mutex only to copy the
// pointer, so it never waits for a running job, for SQLite's locks or for another request, and
// a job never waits for a slow client; the store is read once per job instead of once per
// request. What depends on the clock (suppression expiry, risk, overdue, the party dates) is
// computed per request for the request's own `now`, on a copy of the snapshot's findings, so
// the answer is the same as `patchparty backlog` run at that second.
#pragma once

#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/base/result.h"
#include "core/model/finding.h"
#include "core/store/advisory_tables.h"
#include "core/store/store.h"
#include "core/suppress/suppressions.h"
#include "exporters/http/api_backend.h"

namespace patchparty::lifecycle {

struct ApiSnapshot {
  config::Config config;
  suppress::Suppressions suppressions;
  std::vector<Finding> findings;  // open findings as stored, not yet ranked for a given time
  std::vector<store::FeedStatus> feeds;
  exporters::ScanInfo info;              // host, last scan time, project roots
  std::optional<RestartReport> restart;  // the latest restart-needed check, for the backlog
};

class ApiState final : public http::ApiBackend {
 public:
  // Worker thread: reads the store and replaces the snapshot. On error the previous one stays.
  [[nodiscard]] Result<> publish(store::Store& store, const config::Config& config,
                                 const suppress::Suppressions& suppressions);
  // Worker thread, after each scan: the first success makes the daemon ready.
  void scan_finished(const Result<void>& outcome);
  // Hands a deploy event to the worker (Worker::submit_event); the future holds the stored event.
  using SubmitEvent = std::function<std::future<Result<events::PatchEvent>>(events::PatchEvent)>;
  // Main thread, once the worker exists; until then the daemon is neither alive nor scannable.
  void connect_worker(std::function<bool()> alive, std::function<void()> request_scan,
                      SubmitEvent submit_event);

  bool alive() const override;
  std::optional<std::string> not_ready() const override;
  Result<http::RankedFindings> findings(std::int64_t now) const override;
  Result<exporters::Backlog> backlog(std::int64_t now, bool since_last_party) const override;
  Result<std::string> feeds_json() const override;
  bool request_scan() override;
  Result<std::optional<events::PatchEvent>> record_deploy(events::PatchEvent event,
                                                          std::chrono::milliseconds wait) override;

 private:
  [[nodiscard]] Result<std::shared_ptr<const ApiSnapshot>> current() const;

  mutable std::mutex mu_;
  std::shared_ptr<const ApiSnapshot> snapshot_;
  bool scanned_ = false;
  std::string scan_error_;
  std::function<bool()> alive_;
  std::function<void()> request_scan_;
  SubmitEvent submit_event_;
};

}  // namespace patchparty::lifecycle
