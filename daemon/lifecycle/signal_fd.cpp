#include "daemon/lifecycle/signal_fd.h"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>

namespace patchparty::lifecycle {

Result<SignalFd> SignalFd::open() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  if (int r = pthread_sigmask(SIG_BLOCK, &set, nullptr); r != 0)
    return tl::make_unexpected(errno_error(r, "pthread_sigmask"));
  int fd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
  if (fd < 0) return tl::make_unexpected(errno_error(errno, "signalfd"));
  return SignalFd(fd);
}

SignalFd::~SignalFd() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::optional<int>> SignalFd::wait(std::chrono::milliseconds timeout) {
  struct pollfd p {
    fd_, POLLIN, 0
  };
  int n = ::poll(&p, 1, static_cast<int>(timeout.count()));
  if (n < 0) {
    if (errno == EINTR) return std::optional<int>{};
    return tl::make_unexpected(errno_error(errno, "poll signalfd"));
  }
  if (n == 0) return std::optional<int>{};
  struct signalfd_siginfo info {};
  ssize_t got = ::read(fd_, &info, sizeof info);
  if (got != static_cast<ssize_t>(sizeof info)) {
    if (got < 0 && errno == EAGAIN) return std::optional<int>{};
    return tl::make_unexpected(errno_error(errno, "read signalfd"));
  }
  return std::optional<int>{static_cast<int>(info.ssi_signo)};
}

}  // namespace patchparty::lifecycle
