// SIGTERM, SIGINT and SIGHUP delivered through a signalfd, so the main loop handles them as
// ordinary events instead of in an async-signal handler.
#pragma once

#include <chrono>
#include <optional>

#include "core/base/result.h"

namespace patchparty::lifecycle {

class SignalFd {
 public:
  // Blocks the signals in the calling thread; call before starting any thread so all inherit it.
  [[nodiscard]] static Result<SignalFd> open();
  SignalFd(SignalFd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  SignalFd& operator=(SignalFd&&) = delete;
  SignalFd(const SignalFd&) = delete;
  ~SignalFd();

  // The next signal number, or nullopt when `timeout` passed first.
  [[nodiscard]] Result<std::optional<int>> wait(std::chrono::milliseconds timeout);

 private:
  explicit SignalFd(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace patchparty::lifecycle
