// patchpartyd's /metrics over loopback: the real daemon, a real scrape, and the body checked by
// Prometheus' own promtool.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "tests/support/loopback.h"
#include "tests/support/patchpartyd.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using testing::write_file;

TEST(MetricsEndpoint, ServesStoreValuesThatPromtoolAccepts) {
  // promtool comes with Debian's prometheus package (scripts/setup.sh test installs it).
  const std::string promtool = testing::find_on_path("promtool");
  ASSERT_FALSE(promtool.empty()) << "promtool not found: apt-get install prometheus";

  auto dir = testing::temp_dir("metrics-endpoint");
  // A host of two packages, and a KEV feed whose file is missing, so a failure is counted.
  testing::write_bookworm_root(dir / "root");
  const int port = testing::free_port();
  write_file(dir / "pp.yml", "listen: 127.0.0.1:" + std::to_string(port) +
                                 "\ninventory:\n  root: " + (dir / "root").string() +
                                 "\nfeeds:\n  - kind: kev\n    url: file://" +
                                 (dir / "missing/kev.json").string() + "\n");
  testing::Subprocess d = testing::start_patchpartyd(dir);
  ASSERT_GT(d.pid(), 0);

  // Values appear once the inventory and the feed job have run and the metrics were updated.
  std::string body;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < deadline) {
    body = testing::http_get(port, "/metrics").body;
    if (body.find("patchparty_inventory_packages{source=\"dpkg\"} 2") != std::string::npos &&
        body.find("patchparty_feed_fetch_failures_total{feed=\"kev\"} 1") != std::string::npos)
      break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_THAT(body, HasSubstr("patchparty_inventory_packages{source=\"dpkg\"} 2")) << d.err();
  EXPECT_THAT(body, HasSubstr("patchparty_feed_fetch_failures_total{feed=\"kev\"} 1"));
  EXPECT_THAT(body, HasSubstr("patchparty_build_info{version=\"" PP_VERSION "\"} 1"));
  EXPECT_THAT(body, HasSubstr("# TYPE patchparty_scan_duration_seconds histogram"));
  EXPECT_THAT(body, HasSubstr("patchparty_backlog_tasks{priority=\"now\"} 0"));
  EXPECT_THAT(body, HasSubstr("patchparty_next_party_timestamp_seconds "));

  write_file(dir / "metrics.txt", body);
  auto check = testing::run({promtool, "check", "metrics"}, dir, dir / "metrics.txt");
  EXPECT_EQ(check.code, 0) << check.out << check.err;
  EXPECT_EQ(check.out + check.err, "") << "promtool reported problems";

  d.signal(SIGTERM);
  auto code = d.wait(10s);
  ASSERT_TRUE(code.has_value()) << "patchpartyd did not stop";
  EXPECT_EQ(*code, 0) << d.err();
}

}  // namespace
}  // namespace patchparty
