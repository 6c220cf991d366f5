// Polls a condition until it holds or the time is up, for tests that wait on real processes.
#pragma once

#include <chrono>
#include <thread>

namespace patchparty::testing {

// `done()` every 200 ms until true or `timeout` has passed; its last answer.
template <class F>
bool eventually(std::chrono::milliseconds timeout, F&& done) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return done();
}

}  // namespace patchparty::testing
