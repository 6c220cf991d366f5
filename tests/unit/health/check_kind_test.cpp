// The health check kinds as register_builtin_checks() adds them: one call puts each in config/'s
// catalog and gives make_check its factory.
#include "collectors/health/check_kind.h"

#include <gtest/gtest.h>

#include "collectors/health/builtin_checks.h"
#include "collectors/health/http_check.h"
#include "tests/support/test_data.h"

namespace patchparty::health {
namespace {

class CheckKinds : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { register_builtin_checks(); }
};

// The smallest section each kind accepts; constructing a check does no I/O.
config::HealthCheckConfig minimal(const std::string& kind) {
  config::HealthCheckConfig c;
  c.name = "c";
  c.kind = kind;
  c.url = "http://127.0.0.1:1/";
  c.unit = "nginx.service";
  c.query = "up";
  c.threshold = config::Threshold{};
  c.command = {"/bin/true"};
  return c;
}

TEST_F(CheckKinds, EveryKindConfigAcceptsBuildsACheckOfThatKind) {
  ASSERT_FALSE(config::health_check_kinds().names().empty());
  for (const auto& kind : config::health_check_kinds().names()) {
    EXPECT_NE(find_check_factory(kind), nullptr) << kind;
    auto check = make_check(minimal(kind));
    ASSERT_OK(check);
    EXPECT_EQ((*check)->kind(), kind);
  }
}

TEST(ConstructCheck, BuildsTheClassFromTheSection) {
  auto check = construct_check<HttpCheck>(minimal("http"));
  ASSERT_NE(check, nullptr);
  EXPECT_EQ(check->kind(), "http");
  EXPECT_EQ(check->name(), "c");
}

TEST_F(CheckKinds, AnUnknownKindIsRefused) {
  auto check = make_check(minimal("ping"));
  EXPECT_ERRC(check, Errc::invalid_argument);
  EXPECT_EQ(check.error().message, "check c: unknown kind 'ping'");
}

TEST(CheckKindsDeathTest, ADuplicateKindAborts) {
  register_builtin_checks();
  EXPECT_DEATH(add_check_kind(http_check_kind()), "health check kind 'http' registered twice");
}

}  // namespace
}  // namespace patchparty::health
