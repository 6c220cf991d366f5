// The real Prometheus Alertmanager (Debian's prometheus-alertmanager) on a loopback port, for
// tests of what patchparty's alerts become once Alertmanager has routed them.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "tests/support/loopback.h"
#include "tests/support/scratch_files.h"
#include "tests/support/subprocess.h"

namespace patchparty::testing {

// Writes `dir`/am.yml, which sends every alert to `webhook_url` as a group of its own within a
// second (so each change is its own notification), and starts Alertmanager on it, without
// clustering. Its data and output stay in `dir`.
inline std::unique_ptr<Subprocess> start_alertmanager(const std::string& binary,
                                                      const std::filesystem::path& dir, int port,
                                                      const std::string& webhook_url) {
  write_file(dir / "am.yml",
             "route:\n  receiver: hook\n  group_by: ['...']\n"
             "  group_wait: 1s\n  group_interval: 1s\n  repeat_interval: 24h\n"
             "receivers:\n  - name: hook\n    webhook_configs:\n"
             "      - url: " +
                 webhook_url + "\n        send_resolved: true\n");
  return std::make_unique<Subprocess>(
      std::vector<std::string>{binary, "--config.file=" + (dir / "am.yml").string(),
                               "--storage.path=" + (dir / "am-data").string(),
                               "--web.listen-address=127.0.0.1:" + std::to_string(port),
                               "--cluster.listen-address="},
      std::map<std::string, std::string>{}, dir / "am.out", dir / "am.err");
}

// Fails the test unless Alertmanager answers /-/ready within `timeout` and keeps running.
inline void wait_alertmanager_ready(Subprocess& alertmanager, int port,
                                    std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (http_get(port, "/-/ready").status != 200) {
    ASSERT_TRUE(alertmanager.running()) << alertmanager.err();
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "Alertmanager not ready";
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace patchparty::testing
