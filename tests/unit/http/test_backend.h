// An ApiBackend over the backlog tests' sample host, for driving the real server in unit tests;
// the daemon's own backend (lifecycle/api_state.h) is exercised by tests/integration/http_api_test.
#pragma once

#include <atomic>
#include <mutex>
#include <vector>

#include "exporters/backlog/backlog.h"
#include "exporters/http/api_backend.h"
#include "tests/unit/backlog/sample_findings.h"

namespace patchparty::testing {

class SampleBackend final : public http::ApiBackend {
 public:
  bool alive() const override { return alive_; }
  std::optional<std::string> not_ready() const override {
    if (ready_) return std::nullopt;
    return std::string("waiting for the first scan since start");
  }
  Result<http::RankedFindings> findings(std::int64_t) const override {
    if (!ready_) return fail(Errc::failed_precondition, "no data yet: the daemon is starting");
    http::RankedFindings out{sample_findings(), {}};
    out.info.host = "web-1";
    out.info.scanned_at = kNow;
    return out;
  }
  Result<exporters::Backlog> backlog(std::int64_t, bool since_last_party) const override {
    exporters::BacklogOptions o;
    o.host = "web-1";
    o.now = kNow;
    o.last_party = kLastParty;
    o.next_party = kNextParty;
    o.since_last_party = since_last_party;
    return exporters::build_backlog(sample_findings(), config::SlaConfig{}, o);
  }
  Result<std::string> feeds_json() const override {
    return std::string("{\"schema\": \"patchparty.feeds/v1\", \"feeds\": []}\n");
  }
  bool request_scan() override {
    ++scans_requested_;
    return true;
  }

  Result<std::optional<events::PatchEvent>> record_deploy(events::PatchEvent event,
                                                          std::chrono::milliseconds) override {
    std::lock_guard lock(mu_);
    if (queue_deploys_) return std::optional<events::PatchEvent>();
    event.id = static_cast<std::int64_t>(deploys_.size()) + 1;
    deploys_.push_back(event);
    return std::optional<events::PatchEvent>(std::move(event));
  }

  std::atomic<bool> alive_{true}, ready_{true};
  std::mutex mu_;
  std::vector<events::PatchEvent> deploys_;
  bool queue_deploys_ = false;  // answer as a worker busy with a long job would
  std::atomic<int> scans_requested_{0};
};

}  // namespace patchparty::testing
