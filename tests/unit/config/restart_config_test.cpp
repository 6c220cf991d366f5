#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "config/config.h"
#include "tests/support/test_data.h"

namespace patchparty::config {
namespace {

using ::testing::HasSubstr;

TEST(ConfigRestart, DefaultsAndTheExampleAgree) {
  const RestartConfig d = default_config().restart;
  EXPECT_TRUE(d.enabled);
  EXPECT_EQ(d.interval, std::chrono::minutes(5));
  EXPECT_EQ(d.bus, "system");
  auto c = load_config_file(std::filesystem::path(PP_SOURCE_DIR) / "config/patchparty.example.yml");
  ASSERT_OK(c);
  EXPECT_EQ(c->restart.enabled, d.enabled);
  EXPECT_EQ(c->restart.interval, d.interval);
  EXPECT_EQ(c->restart.proc_root, d.proc_root);
  EXPECT_EQ(c->restart.root, d.root);
  EXPECT_EQ(c->restart.bus, d.bus);
  EXPECT_EQ(c->restart.max_processes, d.max_processes);
  EXPECT_EQ(c->restart.max_map_lines, d.max_map_lines);
  EXPECT_EQ(c->restart.metrics_unit_limit, d.metrics_unit_limit);
}

TEST(ConfigRestart, ReadsTheSection) {
  auto c = parse_config(
      "restart:\n  enabled: false\n  interval: 1m\n  proc_root: /host/proc\n  root: /host\n"
      "  bus: none\n  max_processes: 100\n  max_map_lines: 1000\n  metrics_unit_limit: 5\n",
      "t.yml");
  ASSERT_OK(c);
  EXPECT_FALSE(c->restart.enabled);
  EXPECT_EQ(c->restart.interval, std::chrono::minutes(1));
  EXPECT_EQ(c->restart.proc_root, "/host/proc");
  EXPECT_EQ(c->restart.root, "/host");
  EXPECT_EQ(c->restart.bus, "none");
  EXPECT_EQ(c->restart.max_processes, 100);
  EXPECT_EQ(c->restart.max_map_lines, 1000);
  EXPECT_EQ(c->restart.metrics_unit_limit, 5);
}

TEST(ConfigRestart, MistakesAreReported) {
  auto bad = parse_config(
      "restart:\n  interval: 1s\n  proc_root: proc\n  bus: session\n  max_processes: 0\n"
      "  metrics_unit_limit: -1\n  colour: red\n",
      "t.yml");
  ASSERT_FALSE(bad);
  const std::string& m = bad.error().message;
  EXPECT_THAT(m, HasSubstr("restart.interval: must be at least 10s"));
  EXPECT_THAT(m, HasSubstr("restart.proc_root"));
  EXPECT_THAT(m, HasSubstr("restart.bus"));
  EXPECT_THAT(m, HasSubstr("restart.max_processes"));
  EXPECT_THAT(m, HasSubstr("restart.metrics_unit_limit"));
  EXPECT_THAT(m, HasSubstr("colour"));
}

}  // namespace
}  // namespace patchparty::config
