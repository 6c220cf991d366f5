// A real store in a temp directory and the metric families computed from it, wired as the daemon
// wires them, for the tests of what each family shows for what the jobs stored.
#pragma once

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>

#include "config/config.h"
#include "core/store/store.h"
#include "exporters/prometheus/store_metrics.h"
#include "tests/support/test_data.h"

namespace patchparty::exporters {

constexpr std::int64_t kNow = 1'800'000'000;  // 2027-01-15 08:00 UTC

class StoreMetricsFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::temp_dir("state");
    auto s = store::Store::open(dir_);
    ASSERT_OK(s);
    store_.emplace(std::move(*s));
    auto m = StoreMetrics::create(registry_);
    ASSERT_OK(m);
    metrics_ = std::move(*m);
    config_ = config::default_config();
    config_.party.time_zone = "UTC";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  const prometheus::Registry& reg() { return registry_; }
  void update(std::int64_t now = kNow) { ASSERT_OK(metrics_->update(*store_, config_, now)); }

  std::filesystem::path dir_;
  std::optional<store::Store> store_;
  prometheus::Registry registry_;
  std::unique_ptr<StoreMetrics> metrics_;
  config::Config config_;
};

}  // namespace patchparty::exporters
