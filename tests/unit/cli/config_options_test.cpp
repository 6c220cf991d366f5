// The -c/--config and --state-dir options the store commands share, and how they resolve.
#include "daemon/cli/config_options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/test_data.h"

namespace patchparty::cli {
namespace {

TEST(ConfigOptions, ParsesConfigAndStateDir) {
  CLI::App app;
  std::string config_file, state_dir;
  add_config_options(app, config_file, state_dir);
  app.parse("-c /etc/pp.yml --state-dir /srv/state", false);
  EXPECT_EQ(config_file, "/etc/pp.yml");
  EXPECT_EQ(state_dir, "/srv/state");
}

TEST(ConfigOptions, WithoutAFileTheDefaultsApply) {
  auto c = load_cli_config("");
  ASSERT_OK(c);
  EXPECT_EQ(c->state_dir, config::default_config().state_dir);
}

TEST(ConfigOptions, StateDirReplacesTheConfiguredOne) {
  auto dir = testing::temp_dir("config");
  std::ofstream(dir / "pp.yml") << "state_dir: /tmp/pp\n";
  auto from_file = load_cli_config((dir / "pp.yml").string());
  ASSERT_OK(from_file);
  EXPECT_EQ(from_file->state_dir, "/tmp/pp");
  auto overridden = load_cli_config((dir / "pp.yml").string(), "/srv/state");
  ASSERT_OK(overridden);
  EXPECT_EQ(overridden->state_dir, "/srv/state");
  auto defaults = load_cli_config("", "/srv/state");
  ASSERT_OK(defaults);
  EXPECT_EQ(defaults->state_dir, "/srv/state");
  std::filesystem::remove_all(dir);
}

TEST(ConfigOptions, AFileThatCannotBeReadIsAnError) {
  auto c = load_cli_config("/nonexistent/patchparty.yml", "/srv/state");
  ASSERT_FALSE(c);
  EXPECT_THAT(c.error().message, ::testing::HasSubstr("/nonexistent/patchparty.yml"));
}

}  // namespace
}  // namespace patchparty::cli
