// config/'s kind catalogs as the executables fill them: every built-in kind is there, validates
// its example from config/patchparty.example.yml, and an unknown kind is refused with the list.
#include "config/kinds.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "tests/support/test_data.h"

// Only to fill the catalogs, as both executables do at start-up.
#include "collectors/feeds/builtin_feeds.h"
#include "collectors/health/builtin_checks.h"

namespace patchparty::config {
namespace {

using ::testing::HasSubstr;

class Kinds : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    feeds::register_builtin_feeds();
    health::register_builtin_checks();
  }
};

std::vector<std::string> example_lines() {
  std::ifstream in(std::filesystem::path(PP_SOURCE_DIR) / "config/patchparty.example.yml");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The example's commented-out block that starts at the line `first`, up to the next blank line,
// uncommented: each line loses the first '#' (nested comments stay comments).
std::string uncommented_block(std::string_view first) {
  std::string out;
  bool in_block = false;
  for (const auto& line : example_lines()) {
    if (!in_block && line == first) in_block = true;
    if (!in_block) continue;
    if (line.empty()) break;
    std::string l = line;
    if (auto hash = l.find('#'); hash != std::string::npos) l.erase(hash, 1);
    out += l + "\n";
  }
  return out;
}

TEST_F(Kinds, EveryBuiltinFeedKindIsRegisteredInItsOrder) {
  EXPECT_EQ(feed_kinds().names(),
            (std::vector<std::string>{"osv", "debian-tracker", "debian-dsa-list", "alpine-secdb",
                                      "friendsofphp", "kev", "epss", "nvd"}));
}

TEST_F(Kinds, EveryBuiltinHealthCheckKindIsRegisteredInItsOrder) {
  EXPECT_EQ(
      health_check_kinds().names(),
      (std::vector<std::string>{"http", "systemd_unit", "prometheus_query", "command", "backup"}));
}

TEST_F(Kinds, EveryFeedKindValidatesTheExampleFeed) {
  const std::string example = uncommented_block("#feeds:");
  ASSERT_THAT(example, HasSubstr("  - kind: osv\n"));
  for (const auto& kind : feed_kinds().names()) {
    std::string yaml = example;
    yaml.replace(yaml.find("kind: osv"), 9, "kind: " + kind);
    auto c = parse_config(yaml, "example.yml");
    ASSERT_OK(c);
    ASSERT_EQ(c->feeds.size(), 1u) << kind;
    EXPECT_EQ(c->feeds[0].kind, kind);
  }
}

TEST_F(Kinds, TheNvdExampleValidatesAndKeepsItsKeys) {
  const std::string example = uncommented_block("#  - kind: nvd");
  ASSERT_THAT(example, HasSubstr("api_key_file: "));
  auto c = parse_config("feeds:\n" + example, "example.yml");
  ASSERT_OK(c);
  ASSERT_EQ(c->feeds.size(), 1u);
  EXPECT_EQ(c->feeds[0].kind, "nvd");
  EXPECT_EQ(c->feeds[0].url, "https://services.nvd.nist.gov/rest/json/cves/2.0");
  EXPECT_FALSE(c->feeds[0].api_key_file.empty());
  EXPECT_TRUE(c->feeds[0].request_interval.has_value());
}

TEST_F(Kinds, EveryHealthCheckKindValidatesItsExample) {
  std::string checks = uncommented_block("  checks: []");
  checks.replace(0, checks.find('\n'), "  checks:");
  auto c = parse_config("health:\n" + checks, "example.yml");
  ASSERT_OK(c);
  std::set<std::string> examples;
  for (const auto& check : c->health.checks) examples.insert(check.kind);
  const auto& names = health_check_kinds().names();
  EXPECT_EQ(examples, std::set<std::string>(names.begin(), names.end()));
}

TEST_F(Kinds, AnUnknownFeedKindIsRefusedWithTheKnownKinds) {
  auto c = parse_config("feeds:\n  - {kind: rss, url: 'https://x.example/'}\n", "t.yml");
  ASSERT_FALSE(c);
  EXPECT_THAT(c.error().message,
              HasSubstr("t.yml:2:12: feeds[0].kind: 'rss' is not one of: osv, debian-tracker, "
                        "debian-dsa-list, alpine-secdb, friendsofphp, kev, epss, nvd"));
}

TEST_F(Kinds, AnUnknownHealthCheckKindIsRefusedWithTheKnownKinds) {
  auto c = parse_config("health:\n  checks:\n    - {name: a, kind: ping}\n", "t.yml");
  ASSERT_FALSE(c);
  EXPECT_THAT(c.error().message,
              HasSubstr("health.checks[0].kind: 'ping' is not one of: http, systemd_unit, "
                        "prometheus_query, command, backup"));
}

TEST_F(Kinds, AKindsOwnCheckReportsAtItsKey) {
  auto c = parse_config("health:\n  checks:\n    - {name: a, kind: systemd_unit}\n", "t.yml");
  ASSERT_FALSE(c);
  EXPECT_THAT(c.error().message,
              HasSubstr("t.yml:3:7: health.checks[0].unit: required for kind systemd_unit"));
}

TEST(KindsDeathTest, ADuplicateKindAborts) {
  feeds::register_builtin_feeds();
  EXPECT_DEATH(feed_kinds().add("osv", FeedKind{}), "feed kind 'osv' registered twice");
  health::register_builtin_checks();
  EXPECT_DEATH(health_check_kinds().add("http", HealthCheckKind{}),
               "health check kind 'http' registered twice");
}

}  // namespace
}  // namespace patchparty::config
