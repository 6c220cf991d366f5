// The sender against a real HTTP server on loopback: first send, resends, resolution, retries
// with backoff, the counters, and a prompt stop.
#include "exporters/alertmanager/alert_sender.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>
#include <rapidjson/document.h>

#include "tests/support/loopback.h"
#include "tests/support/post_collector.h"

namespace patchparty::exporters {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using testing::Posted;

constexpr std::int64_t kNow = 1795687200;  // 2026-11-26T10:00:00Z

Alert alert(std::string vulnerability) {
  Alert a;
  a.labels["alertname"] = "PatchPartyVulnerability";
  a.labels["vulnerability"] = std::move(vulnerability);
  a.starts_at = kNow - 3600;
  return a;
}

struct Sent {
  std::string vulnerability;
  bool has_ends_at;
  std::string ends_at;
};

std::vector<Sent> decode(const Posted& p) {
  rapidjson::Document d;
  d.Parse(p.body.c_str(), p.body.size());
  EXPECT_FALSE(d.HasParseError()) << p.body;
  std::vector<Sent> out;
  if (!d.IsArray()) return out;
  for (const auto& a : d.GetArray()) {
    Sent s{a["labels"]["vulnerability"].GetString(), a.HasMember("endsAt"), ""};
    if (s.has_ends_at) s.ends_at = a["endsAt"].GetString();
    out.push_back(s);
  }
  return out;
}

std::string counter(const prometheus::Registry& registry, std::string_view outcome) {
  const std::string text = prometheus::TextSerializer().Serialize(registry.Collect());
  const std::string prefix =
      "patchparty_alerts_sent_total{outcome=\"" + std::string(outcome) + "\"} ";
  auto at = text.find(prefix);
  if (at == std::string::npos) return "absent";
  return text.substr(at + prefix.size(), text.find('\n', at) - at - prefix.size());
}

// A listener that accepts connections and never answers: a POST to it hangs until its timeout.
class Hanging {
 public:
  Hanging() : port_(testing::free_port()) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok_ =
        ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 && ::listen(fd_, 4) == 0;
  }
  ~Hanging() { ::close(fd_); }
  bool ok() const { return ok_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  int port_, fd_ = -1;
  bool ok_ = false;
};

AlerterOptions options(std::vector<std::string> urls, std::chrono::milliseconds resend) {
  return AlerterOptions{std::move(urls), resend, 2s};
}

TEST(AlertsEndpoint, AppendsTheV2Path) {
  EXPECT_EQ(alerts_endpoint("http://am:9093"), "http://am:9093/api/v2/alerts");
  EXPECT_EQ(alerts_endpoint("http://am:9093/"), "http://am:9093/api/v2/alerts");
  EXPECT_EQ(alerts_endpoint("https://h/am/"), "https://h/am/api/v2/alerts");
  EXPECT_EQ(alerts_endpoint("http://am:9093/api/v2/alerts"), "http://am:9093/api/v2/alerts");
}

TEST(Alerter, SendsAtOnceThenResendsEachInterval) {
  testing::PostCollector am;
  prometheus::Registry registry;
  auto metrics = AlertMetrics::create(registry);
  ASSERT_TRUE(metrics.has_value());
  const auto started = std::chrono::steady_clock::now();
  // An interval long enough that a slow machine cannot pass it during the pause below.
  auto alerter = Alerter::start(options({am.url()}, 1500ms), metrics->get());
  alerter->publish({alert("CVE-2024-0001")}, kNow);
  ASSERT_TRUE(am.wait_for([](const auto& p) { return p.size() >= 1; }, 5s));
  auto first = am.posts()[0];
  EXPECT_EQ(first.path, "/api/v2/alerts");
  EXPECT_EQ(first.content_type, "application/json");
  auto sent = decode(first);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].vulnerability, "CVE-2024-0001");
  // Firing alerts carry an endsAt in the future (4 resend intervals, at least 4 s), as
  // Prometheus does, so they resolve on their own if the daemon goes away.
  EXPECT_TRUE(sent[0].has_ends_at);

  // Republishing the same set sends nothing new before the interval...
  alerter->publish({alert("CVE-2024-0001")}, kNow + 1);
  std::this_thread::sleep_for(150ms);
  EXPECT_EQ(am.count(), 1u);
  // ...and the set again once it has passed, without any publish.
  ASSERT_TRUE(am.wait_for([](const auto& p) { return p.size() >= 3; }, 15s));
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_GE(elapsed, 3000ms) << "two resends need two intervals";
  EXPECT_EQ(decode(am.posts()[2]).size(), 1u);
  // Counted once the answer is in, a moment after the server saw the request.
  ASSERT_TRUE(am.wait_for(
      [&](const auto& p) { return counter(registry, "success") == std::to_string(p.size()); }, 2s));
  EXPECT_EQ(counter(registry, "failure"), "0");
}

TEST(Alerter, NewAlertIsSentWithoutWaitingForTheInterval) {
  testing::PostCollector am;
  auto alerter = Alerter::start(options({am.url()}, 1h), nullptr);
  alerter->publish({alert("CVE-2024-0001")}, kNow);
  // With an hour between resends, arriving at all means the first send did not wait.
  ASSERT_TRUE(am.wait_for([](const auto& p) { return p.size() == 1; }, 5s));
  alerter->publish({alert("CVE-2024-0001"), alert("CVE-2024-0002")}, kNow + 10);
  ASSERT_TRUE(am.wait_for([](const auto& p) { return p.size() == 2; }, 5s));
  EXPECT_EQ(decode(am.posts()[1]).size(), 2u) << "the whole firing set, as Prometheus sends it";
}

TEST(Alerter, DisappearedAlertIsResolvedOnceThenForgotten) {
  testing::PostCollector am;
  auto alerter = Alerter::start(options({am.url()}, 1h), nullptr);
  alerter->publish({alert("CVE-2024-0001"), alert("CVE-2024-0002")}, kNow);
  ASSERT_TRUE(am.wait_for([](const auto& p) { return p.size() == 1; }, 5s));
  alerter->publish({alert("CVE-2024-0002")}, kNow + 60);
  ASSERT_TRUE(am.wait_for([](const auto& p) { return p.size() == 2; }, 5s));
  auto sent = decode(am.posts()[1]);
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].vulnerability, "CVE-2024-0001");
  EXPECT_EQ(sent[0].ends_at, "2026-11-26T10:01:00Z") << "endsAt = the publish time";
  // The POST reaches the receiver before the sender has read the answer: poll.
  EXPECT_TRUE(am.wait_for([&](const auto&) { return alerter->held() == 1u; }, 5s))
      << "accepted by the only Alertmanager: forgotten";

  // Nothing left to send: no further POST until something changes.
  alerter->publish({alert("CVE-2024-0002")}, kNow + 120);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(am.count(), 2u);
  alerter->publish({}, kNow + 180);
  ASSERT_TRUE(am.wait_for([](const auto& p) { return p.size() == 3; }, 5s));
  sent = decode(am.posts()[2]);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].ends_at, "2026-11-26T10:03:00Z");
  EXPECT_TRUE(am.wait_for([&](const auto&) { return alerter->held() == 0u; }, 5s));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(am.count(), 3u) << "a resolved alert is sent once";
}

TEST(Alerter, SourcesPublishTheirOwnSetsAndTheUnionFires) {
  testing::PostCollector am;
  auto alerter = Alerter::start(options({am.url()}, 1h), nullptr);
  alerter->publish({alert("CVE-2024-0001")}, kNow);
  ASSERT_TRUE(am.wait_for([](const auto& p) { return p.size() == 1; }, 5s));
  alerter->publish("watch", {alert("CVE-2024-0002")}, kNow + 1);
  ASSERT_TRUE(am.wait_for([](const auto& p) { return p.size() == 2; }, 5s));
  auto sent = decode(am.posts()[1]);
  ASSERT_EQ(sent.size(), 2u) << "the new alert goes out with the one still firing";
  // The watch's set empties: only its alert resolves, the other source's keeps firing.
  alerter->publish("watch", {}, kNow + 2);
  ASSERT_TRUE(am.wait_for([](const auto& p) { return p.size() == 3; }, 5s));
  std::map<std::string, std::string> ends;
  for (const auto& a : decode(am.posts()[2])) ends[a.vulnerability] = a.ends_at;
  EXPECT_EQ(ends["CVE-2024-0002"], "2026-11-26T10:00:02Z") << "resolved at the publish time";
  ASSERT_TRUE(ends.count("CVE-2024-0001"));
  EXPECT_NE(ends["CVE-2024-0001"], "2026-11-26T10:00:02Z") << "still firing";
  EXPECT_TRUE(am.wait_for([&](const auto&) { return alerter->held() == 1u; }, 5s));
  EXPECT_EQ(alerter->sources().size(), 2u);
  EXPECT_EQ(alerter->sources().at("").size(), 1u);
}

TEST(Alerter, FailuresAreRetriedWithBackoffAndCounted) {
  testing::PostCollector am;
  am.set_status(503);
  prometheus::Registry registry;
  auto metrics = AlertMetrics::create(registry);
  ASSERT_TRUE(metrics.has_value());
  auto alerter = Alerter::start(options({am.url()}, 1h), metrics->get());
  alerter->publish({alert("CVE-2024-0001")}, kNow);
  alerter->publish({}, kNow + 1);  // resolved before it was ever delivered
  // Attempts at 0 s, 1 s, 3 s (1 s then 2 s of backoff).
  ASSERT_TRUE(am.wait_for([](const auto& p) { return p.size() >= 2; }, 5s));
  EXPECT_EQ(alerter->held(), 1u) << "kept until accepted";
  ASSERT_TRUE(am.wait_for([&](const auto&) { return counter(registry, "failure") == "2"; }, 2s));
  am.set_status(200);
  ASSERT_TRUE(am.wait_for([](const auto& p) { return p.size() >= 3; }, 5s));
  ASSERT_TRUE(am.wait_for([&](const auto&) { return alerter->held() == 0; }, 2s));
  ASSERT_TRUE(am.wait_for([&](const auto&) { return counter(registry, "success") == "1"; }, 2s));
  EXPECT_EQ(counter(registry, "failure"), "2");
  auto sent = decode(am.posts()[2]);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].ends_at, "2026-11-26T10:00:01Z");
}

TEST(Alerter, HangingAlertmanagerDoesNotHoldUpTheOthers) {
  Hanging slow;
  ASSERT_TRUE(slow.ok());
  testing::PostCollector good;
  prometheus::Registry registry;
  auto metrics = AlertMetrics::create(registry);
  ASSERT_TRUE(metrics.has_value());
  // The hanging one is first in the list and its POST takes the whole 5 s timeout.
  auto alerter = Alerter::start(AlerterOptions{{slow.url(), good.url()}, 1h, 5s}, metrics->get());
  const auto started = std::chrono::steady_clock::now();
  alerter->publish({alert("CVE-2024-0001")}, kNow);
  ASSERT_TRUE(good.wait_for([](const auto& p) { return p.size() == 1; }, 4s));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 4s);
  // The resolution reaches the live one while the hanging one is still owed it.
  alerter->publish({}, kNow + 1);
  ASSERT_TRUE(good.wait_for([](const auto& p) { return p.size() == 2; }, 4s));
  EXPECT_EQ(decode(good.posts()[1])[0].ends_at, "2026-11-26T10:00:01Z");
  EXPECT_EQ(alerter->held(), 1u);
  ASSERT_TRUE(good.wait_for([&](const auto&) { return counter(registry, "failure") == "1"; }, 8s))
      << "the hanging POST times out and counts as a failure";
  EXPECT_EQ(counter(registry, "success"), "2");
}

TEST(Alerter, RefusedConnectionIsAFailure) {
  testing::PostCollector good;
  const int dead_port = testing::free_port();  // nothing listens: connection refused
  prometheus::Registry registry;
  auto metrics = AlertMetrics::create(registry);
  ASSERT_TRUE(metrics.has_value());
  auto alerter = Alerter::start(
      options({"http://127.0.0.1:" + std::to_string(dead_port), good.url()}, 1h), metrics->get());
  alerter->publish({alert("CVE-2024-0001")}, kNow);
  ASSERT_TRUE(good.wait_for([](const auto& p) { return p.size() == 1; }, 5s));
  ASSERT_TRUE(good.wait_for([&](const auto&) { return counter(registry, "failure") == "1"; }, 2s));
  ASSERT_TRUE(good.wait_for([&](const auto&) { return counter(registry, "success") == "1"; }, 2s));
}

TEST(Alerter, PublishDoesNotBlockOnASlowAlertmanagerAndStopIsPrompt) {
  Hanging slow;
  ASSERT_TRUE(slow.ok());
  auto alerter = Alerter::start(AlerterOptions{{slow.url()}, 1h, 30s}, nullptr);
  alerter->publish({alert("CVE-2024-0001")}, kNow);
  std::this_thread::sleep_for(200ms);  // the POST is in flight now
  const auto started = std::chrono::steady_clock::now();
  alerter->publish({alert("CVE-2024-0002")}, kNow + 1);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 100ms);
  alerter->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2500ms) << "stop cancels the POST";
}

}  // namespace
}  // namespace patchparty::exporters
