// What the API's endpoints read and ask for, implemented by the daemon (lifecycle/api_state.h).
// The HTTP side renders and negotiates; it never touches the store, so it cannot block the
// worker thread that owns it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/events/patch_event.h"
#include "core/model/finding.h"
#include "exporters/backlog/backlog.h"
#include "exporters/backlog/scan_report.h"

namespace patchparty::http {

struct RankedFindings {
  std::vector<Finding> findings;  // open findings, ranked and suppressed as of the request
  exporters::ScanInfo info;
};

class ApiBackend {
 public:
  virtual ~ApiBackend() = default;

  // The worker loop is running and not stuck.
  virtual bool alive() const = 0;
  // Why the daemon is not ready yet ("waiting for the first scan"); nullopt once it is.
  virtual std::optional<std::string> not_ready() const = 0;

  // As of `now` (unix seconds). failed_precondition before the first snapshot exists.
  [[nodiscard]] virtual Result<RankedFindings> findings(std::int64_t now) const = 0;
  [[nodiscard]] virtual Result<exporters::Backlog> backlog(std::int64_t now,
                                                           bool since_last_party) const = 0;
  // patchparty.feeds/v1, as `patchparty feeds status --json` prints it.
  [[nodiscard]] virtual Result<std::string> feeds_json() const = 0;

  // Asks the worker for an inventory and a rescan as soon as it is free; returns at once,
  // false when there is no worker to ask.
  virtual bool request_scan() = 0;

  // POST /api/v1/deploys: hands a validated deploy event to the worker, which alone writes the
  // store, and waits up to `wait` for it to be stored. The stored event (with its id), or
  // nullopt when the worker is still busy with a long job: the event stays queued and is stored
  // when the job ends. unavailable without a worker, resource_exhausted when the queue is full.
  [[nodiscard]] virtual Result<std::optional<events::PatchEvent>> record_deploy(
      events::PatchEvent event, std::chrono::milliseconds wait) = 0;
};

}  // namespace patchparty::http
