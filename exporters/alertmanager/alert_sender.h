// Delivers alerts to every configured Alertmanager, each from a thread of its own, so a slow or
// dead Alertmanager never holds up a scan or the other Alertmanagers.
//
// The caller publishes the complete set of firing alerts after each scan. Against what it holds,
// the sender then:
//   - sends new alerts at once and every firing alert again each resend_interval, with endsAt
//     4 resend intervals ahead (as Prometheus does), so they resolve on their own if patchpartyd
//     stops for good;
//   - sends an alert that left the set once with endsAt = the publish time, keeps it until every
//     Alertmanager accepted it, then forgets it;
//   - retries a failed Alertmanager with exponential backoff (1 s doubling, capped at
//     resend_interval), independently of the others, logging once per change of state.
// Each POST is counted in patchparty_alerts_sent_total{outcome}.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "config/config.h"
#include "core/base/result.h"
#include "exporters/alertmanager/alert.h"
#include "exporters/alertmanager/alert_metrics.h"

namespace patchparty::exporters {

struct AlerterOptions {
  std::vector<std::string> alertmanagers;  // base URLs; "/api/v2/alerts" is appended
  std::chrono::milliseconds resend_interval{std::chrono::minutes(1)};
  std::chrono::milliseconds timeout{std::chrono::seconds(10)};

  static AlerterOptions from(const config::AlertingConfig& c);
  bool operator==(const AlerterOptions&) const = default;
};

// The v2 alerts endpoint below an Alertmanager's base URL; a URL that already names it is kept.
std::string alerts_endpoint(std::string_view base_url);

// One POST of a JSON body; 2xx is success. Errors: unavailable (network, 5xx), deadline_exceeded,
// failed_precondition (4xx: Alertmanager refused the alerts).
[[nodiscard]] Result<void> post_json(const std::string& url, const std::string& body,
                                     std::chrono::milliseconds timeout, std::stop_token stop = {});

class Alerter {
 public:
  // Starts one thread per Alertmanager. `metrics` may be null; otherwise it must outlive the
  // Alerter.
  static std::unique_ptr<Alerter> start(AlerterOptions options, AlertMetrics* metrics);
  ~Alerter();
  Alerter(const Alerter&) = delete;
  Alerter& operator=(const Alerter&) = delete;

  // Never blocks on the network: records the set and wakes the thread. `now` is unix seconds,
  // the endsAt of alerts that left the set.
  void publish(std::vector<Alert> firing, std::int64_t now) { publish("", std::move(firing), now); }
  // Several subsystems page (vulnerabilities after a scan, the patch watch as it judges): each
  // publishes its own complete set under its own name, and the firing set is their union.
  void publish(const std::string& source, std::vector<Alert> firing, std::int64_t now);
  // Every source's last set, for carrying them over to a reconfigured Alerter.
  std::map<std::string, std::vector<Alert>> sources() const;

  // Stops the threads; a POST in flight is cancelled within about a second. Idempotent.
  void stop();

  const AlerterOptions& options() const { return options_; }
  // Alerts held: firing ones plus resolved ones some Alertmanager has not accepted yet.
  std::size_t held() const;

 private:
  using Clock = std::chrono::steady_clock;

  struct Held {
    Alert alert;
    bool resolved = false;
  };
  struct Target {
    std::string url;
    std::uint64_t acked_generation = 0;  // the last firing set this Alertmanager accepted
    std::set<std::string> unacked_resolved;
    std::optional<Clock::time_point> last_ok;
    Clock::time_point next_try{};
    std::chrono::milliseconds backoff{0};
    bool failing = false;
  };

  Alerter(AlerterOptions options, AlertMetrics* metrics);
  void run(Target& t);
  bool has_firing() const;
  bool due(const Target& t, Clock::time_point now) const;
  Clock::time_point next_wake(const Target& t, Clock::time_point now) const;
  void deliver(Target& t, std::unique_lock<std::mutex>& lock);
  void forget_delivered();

  const AlerterOptions options_;
  AlertMetrics* metrics_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Held> alerts_;  // by Alert::key()
  std::map<std::string, std::vector<Alert>> sources_;
  std::vector<Target> targets_;   // fixed at construction: each thread holds a reference
  std::uint64_t generation_ = 0;  // bumped when an alert starts (or starts again) firing
  std::uint64_t changes_ = 0;     // bumped by each publish, so a waiting thread looks again
  std::atomic<bool> stopping_{false};
  std::stop_source cancel_;  // ends a POST in flight when the sender stops
  std::vector<std::thread> threads_;
};

}  // namespace patchparty::exporters
