#include "exporters/alertmanager/alert_sender.h"

#include <algorithm>

#include "core/base/http_client.h"
#include "core/base/log.h"
#include "core/base/unix_time.h"
#include "exporters/alertmanager/alert_payload.h"

namespace patchparty::exporters {

namespace {

using namespace std::chrono_literals;

constexpr auto kFirstBackoff = 1s;
constexpr std::size_t kMaxErrorBodyBytes = 256;

}  // namespace

AlerterOptions AlerterOptions::from(const config::AlertingConfig& c) {
  return AlerterOptions{c.alertmanagers, c.resend_interval, c.timeout};
}

std::string alerts_endpoint(std::string_view base_url) {
  constexpr std::string_view kPath = "/api/v2/alerts";
  std::string url(base_url);
  if (url.ends_with(kPath)) return url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + std::string(kPath);
}

Result<void> post_json(const std::string& url, const std::string& body,
                       std::chrono::milliseconds timeout, std::stop_token stop) {
  HttpRequest request;
  request.method = HttpMethod::post;
  request.url = url;
  request.headers = {"Content-Type: application/json"};
  request.body = body;
  request.timeout = timeout;
  request.connect_timeout = timeout;
  // Only the start of an answer goes into the error message.
  request.max_body_bytes = kMaxErrorBodyBytes;
  request.over_cap = HttpOverCap::truncate;
  auto response = http_send(request, stop);
  if (!response) {
    // Whatever kept the alerts from arriving is worth another try, except that a deadline says
    // so in its own words.
    Error e = std::move(response).error();
    if (e.code != Errc::deadline_exceeded) e.code = Errc::unavailable;
    return tl::make_unexpected(std::move(e));
  }
  const long status = response->status;
  if (status >= 200 && status < 300) return {};
  std::string detail = sanitize_value(response->body, kMaxErrorBodyBytes, false);
  const std::string what =
      url + ": HTTP " + std::to_string(status) + (detail.empty() ? "" : ": " + detail);
  // 4xx: Alertmanager read the alerts and refused them; resending will not change its mind, but
  // the next publish may, so the caller retries all the same.
  return fail(status >= 400 && status < 500 ? Errc::failed_precondition : Errc::unavailable, what);
}

std::unique_ptr<Alerter> Alerter::start(AlerterOptions options, AlertMetrics* metrics) {
  std::unique_ptr<Alerter> a(new Alerter(std::move(options), metrics));
  for (auto& t : a->targets_) a->threads_.emplace_back([p = a.get(), &t] { p->run(t); });
  return a;
}

Alerter::Alerter(AlerterOptions options, AlertMetrics* metrics)
    : options_(std::move(options)), metrics_(metrics) {
  for (const auto& url : options_.alertmanagers) {
    Target t;
    t.url = alerts_endpoint(url);
    targets_.push_back(std::move(t));
  }
}

Alerter::~Alerter() {
  stop();
}

void Alerter::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cancel_.request_stop();
  cv_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

std::size_t Alerter::held() const {
  std::lock_guard lock(mu_);
  return alerts_.size();
}

std::map<std::string, std::vector<Alert>> Alerter::sources() const {
  std::lock_guard lock(mu_);
  return sources_;
}

void Alerter::publish(const std::string& source, std::vector<Alert> firing, std::int64_t now) {
  {
    std::lock_guard lock(mu_);
    sources_[source] = std::move(firing);
    std::map<std::string, Alert> next;
    for (const auto& [name, set] : sources_)
      for (Alert a : set) {
        a.ends_at.reset();  // firing: the sender sets endsAt at each send
        next.insert_or_assign(a.key(), std::move(a));
      }
    for (auto& [key, held] : alerts_) {
      if (held.resolved || next.count(key)) continue;
      held.resolved = true;
      held.alert.ends_at = now;
      for (auto& t : targets_) t.unacked_resolved.insert(key);
    }
    for (auto& [key, alert] : next) {
      auto it = alerts_.find(key);
      if (it == alerts_.end() || it->second.resolved) {
        ++generation_;
        for (auto& t : targets_) t.unacked_resolved.erase(key);
      }
      alerts_[key] = Held{std::move(alert), false};
    }
    forget_delivered();
    ++changes_;
  }
  cv_.notify_all();
}

void Alerter::forget_delivered() {
  for (auto it = alerts_.begin(); it != alerts_.end();) {
    const bool pending = std::any_of(targets_.begin(), targets_.end(), [&](const Target& t) {
      return t.unacked_resolved.count(it->first) > 0;
    });
    if (it->second.resolved && !pending) {
      it = alerts_.erase(it);
    } else {
      ++it;
    }
  }
}

bool Alerter::has_firing() const {
  return std::any_of(alerts_.begin(), alerts_.end(),
                     [](const auto& kv) { return !kv.second.resolved; });
}

bool Alerter::due(const Target& t, Clock::time_point now) const {
  if (now < t.next_try) return false;
  if (!t.unacked_resolved.empty()) return true;
  if (!has_firing()) return false;
  return t.acked_generation < generation_ || !t.last_ok ||
         now >= *t.last_ok + options_.resend_interval;
}

Alerter::Clock::time_point Alerter::next_wake(const Target& t, Clock::time_point now) const {
  const bool firing = has_firing();
  if (!t.unacked_resolved.empty() || (firing && t.acked_generation < generation_))
    return t.next_try;
  if (!firing) return Clock::time_point::max();
  const auto resend = t.last_ok ? *t.last_ok + options_.resend_interval : now;
  return std::max(t.next_try, resend);
}

void Alerter::deliver(Target& t, std::unique_lock<std::mutex>& lock) {
  const auto ends_firing =
      unix_now() +
      4 * std::max<std::int64_t>(
              1,
              std::chrono::duration_cast<std::chrono::seconds>(options_.resend_interval).count());
  std::vector<Alert> batch;
  std::vector<std::string> resolved_sent;
  for (const auto& [key, held] : alerts_) {
    if (held.resolved) {
      if (!t.unacked_resolved.count(key)) continue;
      resolved_sent.push_back(key);
      batch.push_back(held.alert);
    } else {
      batch.push_back(held.alert);
      batch.back().ends_at = ends_firing;
    }
  }
  const std::uint64_t generation = generation_;
  const std::string url = t.url;
  const std::string body = alerts_json(batch);

  lock.unlock();
  auto r = post_json(url, body, options_.timeout, cancel_.get_token());
  if (metrics_) metrics_->count_sent(r ? "success" : "failure");
  lock.lock();

  const auto now = Clock::now();
  if (r) {
    if (t.failing)
      log::notice("alerting: " + url + " accepts alerts again (" + std::to_string(batch.size()) +
                  " sent)");
    t.failing = false;
    t.backoff = 0ms;
    t.next_try = now;
    t.last_ok = now;
    t.acked_generation = std::max(t.acked_generation, generation);
    for (const auto& key : resolved_sent) t.unacked_resolved.erase(key);
    forget_delivered();
    return;
  }
  if (stopping_) return;
  t.backoff = t.backoff == 0ms
                  ? std::chrono::milliseconds(kFirstBackoff)
                  : std::min(t.backoff * 2, std::max<std::chrono::milliseconds>(
                                                options_.resend_interval, kFirstBackoff));
  t.next_try = now + t.backoff;
  if (!t.failing)
    log::warning("alerting: cannot deliver " + std::to_string(batch.size()) +
                 " alerts: " + r.error().to_string() + "; retrying with backoff");
  t.failing = true;
}

void Alerter::run(Target& t) {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    const auto now = Clock::now();
    if (due(t, now)) {
      deliver(t, lock);
      continue;  // the lock was released meanwhile: look again before sleeping
    }
    const std::uint64_t seen = changes_;
    cv_.wait_until(lock, std::min(next_wake(t, now), now + std::chrono::hours(1)),
                   [&] { return stopping_ || changes_ != seen; });
  }
}

}  // namespace patchparty::exporters
