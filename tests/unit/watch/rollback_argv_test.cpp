#include "core/watch/rollback_argv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace patchparty::watch {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const RollbackValues kValues{.target = "shop",
                             .package = "openssl",
                             .from_version = "3.0.11-1~deb12u2",
                             .to_version = "1:3.0.13+dfsg-1"};

TEST(RollbackArgv, SubstitutesWholeAndEmbeddedPlaceholders) {
  const std::vector<std::string> argv = {"/usr/bin/apt-get", "install", "-y", "--allow-downgrades",
                                         "{package}={from_version}"};
  auto out = expand_argv(argv, kValues);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_THAT(*out, ElementsAre("/usr/bin/apt-get", "install", "-y", "--allow-downgrades",
                                "openssl=3.0.11-1~deb12u2"));
  auto deploy = expand_argv(std::vector<std::string>{"/opt/deploy/rollback", "{target}", "--to",
                                                     "{from_version}", "--from", "{to_version}"},
                            kValues);
  ASSERT_TRUE(deploy);
  EXPECT_THAT(*deploy, ElementsAre("/opt/deploy/rollback", "shop", "--to", "3.0.11-1~deb12u2",
                                   "--from", "1:3.0.13+dfsg-1"));
}

TEST(RollbackArgv, ShellMetacharactersInValuesAreRefused) {
  const std::vector<std::string> argv = {"/usr/local/bin/rollback", "{to_version}"};
  for (const char* bad :
       {"1.0;rm -rf /", "$(id)", "`id`", "1.0|cat", "a&b", "x>y", "x<y", "a b", "a\nb", "a'b",
        "a\"b", "a\\b", "*", "a/b", "{target}", "-rf", "--force"}) {
    RollbackValues v = kValues;
    v.to_version = bad;
    auto out = expand_argv(argv, v);
    EXPECT_FALSE(out) << "accepted '" << bad << "'";
    if (!out) {
      EXPECT_THAT(out.error().message, HasSubstr("{to_version}"));
    }
  }
}

TEST(RollbackArgv, EmptyOrLongValuesAreRefusedOnlyWhenUsed) {
  RollbackValues v = kValues;
  v.package.clear();
  EXPECT_TRUE(expand_argv(std::vector<std::string>{"/bin/true", "{target}"}, v))
      << "an unused empty value does not matter";
  auto out = expand_argv(std::vector<std::string>{"/bin/true", "{package}"}, v);
  ASSERT_FALSE(out);
  EXPECT_THAT(out.error().message, HasSubstr("{package} is empty"));
  v.package = std::string(129, 'a');
  EXPECT_FALSE(expand_argv(std::vector<std::string>{"/bin/true", "{package}"}, v));
}

TEST(RollbackArgv, TemplatesAreCheckedAtConfigTime) {
  EXPECT_TRUE(validate_argv_template(
      std::vector<std::string>{"/bin/systemctl", "restart", "app@{target}.service"}));
  auto relative = validate_argv_template(std::vector<std::string>{"apt-get", "install"});
  ASSERT_FALSE(relative);
  EXPECT_THAT(relative.error().message, HasSubstr("absolute path"));
  EXPECT_FALSE(validate_argv_template(std::vector<std::string>{}));
  EXPECT_FALSE(validate_argv_template(std::vector<std::string>{"{package}"}));
  auto unknown = validate_argv_template(std::vector<std::string>{"/bin/echo", "{version}"});
  ASSERT_FALSE(unknown);
  EXPECT_THAT(unknown.error().message, HasSubstr("unknown placeholder {version}"));
  EXPECT_FALSE(validate_argv_template(std::vector<std::string>{"/bin/echo", "{target"}));
  EXPECT_FALSE(validate_argv_template(std::vector<std::string>{"/bin/echo", "target}"}));
}

TEST(RollbackArgv, UnitNamesFollowSystemdsRules) {
  auto unit = expand_unit_name("patchparty-rollback@{target}.service", kValues);
  ASSERT_TRUE(unit) << unit.error().message;
  EXPECT_EQ(*unit, "patchparty-rollback@shop.service");
  RollbackValues v = kValues;
  v.target = "a@b";  // a second '@'
  EXPECT_FALSE(expand_unit_name("patchparty-rollback@{target}.service", v));
  // '+' and '~' are fine in a version but not in a unit name.
  EXPECT_FALSE(expand_unit_name("rollback@{to_version}.service", kValues));
  EXPECT_FALSE(expand_unit_name("rollback@{target}", kValues)) << "no unit suffix";
  EXPECT_FALSE(expand_unit_name("rollback@{target}.socket.exe", kValues));
}

}  // namespace
}  // namespace patchparty::watch
