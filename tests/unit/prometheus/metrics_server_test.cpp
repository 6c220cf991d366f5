// MetricsServer on a real loopback port: it binds at once, and a taken port is an error the
// daemon can log, not an exception.
#include "exporters/prometheus/metrics_server.h"

#include <gtest/gtest.h>

#include "tests/support/test_data.h"

namespace patchparty::exporters {
namespace {

TEST(MetricsServer, BindsAtOnceAndReportsATakenPort) {
  auto registry = std::make_shared<prometheus::Registry>();
  auto first = MetricsServer::start("127.0.0.1:0", registry);
  ASSERT_OK(first);
  ASSERT_EQ((*first)->ports().size(), 1u);
  const int port = (*first)->ports().front();
  EXPECT_GT(port, 0);

  auto second = MetricsServer::start("127.0.0.1:" + std::to_string(port), registry);
  EXPECT_ERRC(second, Errc::unavailable);
  EXPECT_NE(second.error().message.find(std::to_string(port)), std::string::npos);
}

}  // namespace
}  // namespace patchparty::exporters
