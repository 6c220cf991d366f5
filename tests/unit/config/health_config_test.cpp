// The health: section of the configuration: defaults, each kind, and every validation error
// pointing at its file:line:col.
#include <gtest/gtest.h>

#include "config/config.h"

// Only to fill config/'s kind catalog, as both executables do at start-up.
#include "collectors/health/builtin_checks.h"

namespace patchparty::config {
namespace {

using namespace std::chrono_literals;

[[maybe_unused]] const bool kKindsRegistered = [] {
  health::register_builtin_checks();
  return true;
}();

std::string errors_of(std::string_view yaml) {
  auto c = parse_config(yaml, "t.yml");
  return c ? std::string() : c.error().message;
}

TEST(HealthConfig, EmptyByDefault) {
  auto c = parse_config("", "t.yml");
  ASSERT_TRUE(c.has_value());
  EXPECT_TRUE(c->health.checks.empty());
  EXPECT_EQ(c->health.history, 1000);
}

TEST(HealthConfig, ReadsEachKind) {
  auto c = parse_config(R"(health:
  history: 50
  checks:
    - {name: web, kind: http, url: "https://app.example/health", expected_status: [200-299, 302],
       max_latency: 500ms, body_regex: '"ok"', ca_file: /etc/ssl/ca.pem, interval: 10s,
       timeout: 2s}
    - {name: nginx, kind: systemd_unit, unit: nginx.service, bus: user,
       expected_states: [active/running, active/exited]}
    - {name: errors, kind: prometheus_query, url: "http://127.0.0.1:9090",
       query: 'sum(rate(http_errors_total[5m]))', threshold: "< 0.5"}
    - {name: p99, kind: prometheus_query, url: "http://127.0.0.1:9090", query: 'x', max_ratio: 1.5}
    - {name: smoke, kind: command, command: [/usr/local/bin/smoke, --quick]}
    - {name: nightly, kind: backup, file: /var/backups/db.dump, max_age: 26h}
)",
                        "t.yml");
  ASSERT_TRUE(c.has_value()) << c.error().message;
  const auto& h = c->health;
  EXPECT_EQ(h.history, 50);
  ASSERT_EQ(h.checks.size(), 6u);
  EXPECT_EQ(h.checks[0].expected_status.size(), 2u);
  EXPECT_EQ(h.checks[0].expected_status[0].last, 299);
  EXPECT_EQ(h.checks[0].max_latency, 500ms);
  EXPECT_EQ(h.checks[0].interval, 10s);
  EXPECT_EQ(h.checks[1].bus, "user");
  EXPECT_EQ(h.checks[1].interval, 30s);
  ASSERT_TRUE(h.checks[2].threshold.has_value());
  EXPECT_EQ(h.checks[2].threshold->op, Threshold::Op::lt);
  EXPECT_EQ(h.checks[2].threshold->value, 0.5);
  EXPECT_EQ(h.checks[3].max_ratio, 1.5);
  EXPECT_EQ(h.checks[4].command.size(), 2u);
  EXPECT_EQ(h.checks[5].max_age, 26h);
}

TEST(HealthConfig, RejectsWithPositions) {
  const std::string e = errors_of(R"(health:
  checks:
    - {name: "a b", kind: command, command: [/bin/true]}
    - {name: dup, kind: command, command: [true]}
    - {name: dup, kind: http, url: "ftp://x"}
    - {name: re, kind: http, url: "http://x", body_regex: "("}
    - {name: th, kind: prometheus_query, url: "http://x", query: up, threshold: "~ 1"}
    - {name: -x, kind: systemd_unit}
    - {name: b, kind: backup, file: /x}
)");
  EXPECT_NE(e.find("t.yml:3:"), std::string::npos) << e;
  EXPECT_NE(e.find("health.checks[0].name"), std::string::npos) << e;
  EXPECT_NE(e.find("t.yml:4:"), std::string::npos) << e;
  EXPECT_NE(e.find("absolute program path"), std::string::npos) << e;
  EXPECT_NE(e.find("duplicate check name 'dup'"), std::string::npos) << e;
  EXPECT_NE(e.find("health.checks[2].url"), std::string::npos) << e;
  EXPECT_NE(e.find("does not compile"), std::string::npos) << e;
  EXPECT_NE(e.find("must start with <, <=, > or >="), std::string::npos) << e;
  EXPECT_NE(e.find("health.checks[5].unit: required"), std::string::npos) << e;
  EXPECT_NE(e.find("health.checks[5].name"), std::string::npos) << e;
  EXPECT_NE(e.find("health.checks[6].max_age: required"), std::string::npos) << e;
}

TEST(HealthConfig, UnknownKeyAndTimeoutOverInterval) {
  const std::string e = errors_of(R"(health:
  checks:
    - {name: a, kind: command, command: [/bin/true], interval: 5s, timeout: 10s, shell: yes}
)");
  EXPECT_NE(e.find("health.checks[0].shell: unknown key"), std::string::npos) << e;
  EXPECT_NE(e.find("must not exceed the interval"), std::string::npos) << e;
}

TEST(HealthConfig, Thresholds) {
  EXPECT_TRUE(parse_threshold("<= 3")->holds(3));
  EXPECT_FALSE(parse_threshold("< 3")->holds(3));
  EXPECT_TRUE(parse_threshold(">=1e-3")->holds(0.001));
  EXPECT_FALSE(parse_threshold("> nan").has_value());
  EXPECT_FALSE(parse_threshold("< ").has_value());
  EXPECT_FALSE(parse_threshold("3").has_value());
}

}  // namespace
}  // namespace patchparty::config
