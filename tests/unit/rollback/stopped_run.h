// A rollback asked to stop while it runs, as the watch engine asks on shutdown: the run must end
// at once and say why.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <stop_token>
#include <thread>

#include "daemon/rollback/rollback_runner.h"

namespace patchparty::rollback {

struct StoppedRun {
  RollbackResult result;
  std::chrono::steady_clock::duration took;
};

// Runs `runner` and requests a stop from another thread `delay` after the start.
inline StoppedRun run_and_stop_after(RollbackRunner& runner, std::chrono::milliseconds delay) {
  std::stop_source stop;
  std::thread stopper([&] {
    std::this_thread::sleep_for(delay);
    stop.request_stop();
  });
  const auto started = std::chrono::steady_clock::now();
  RollbackResult r = runner.run(stop.get_token());
  stopper.join();
  return {std::move(r), std::chrono::steady_clock::now() - started};
}

// Stopped `delay` after its start, the run ends well within 5 s, not ok, saying it was stopped.
inline void expect_stops_at_once(RollbackRunner& runner, std::chrono::milliseconds delay) {
  const auto [r, took] = run_and_stop_after(runner, delay);
  EXPECT_LT(took, std::chrono::seconds(5));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.detail.find("stopped"), std::string::npos) << r.detail;
}

}  // namespace patchparty::rollback
