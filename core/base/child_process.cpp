#include "core/base/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

extern char** environ;

namespace patchparty::health {

namespace {

struct Fd {
  int fd = -1;
  Fd() = default;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  void reset() {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
};

struct SpawnActions {
  posix_spawn_file_actions_t a;
  SpawnActions() { posix_spawn_file_actions_init(&a); }
  ~SpawnActions() { posix_spawn_file_actions_destroy(&a); }
};

struct SpawnAttr {
  posix_spawnattr_t a;
  SpawnAttr() { posix_spawnattr_init(&a); }
  ~SpawnAttr() { posix_spawnattr_destroy(&a); }
};

constexpr auto kPollStep = std::chrono::milliseconds(20);

}  // namespace

Result<ChildOutcome> run_child(std::span<const std::string> argv, std::chrono::milliseconds timeout,
                               std::size_t max_output, std::stop_token stop) {
  if (argv.empty()) return fail(Errc::invalid_argument, "empty command");
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return tl::make_unexpected(errno_error(errno, "pipe"));
  Fd read_end(fds[0]), write_end(fds[1]);

  SpawnActions actions;
  posix_spawn_file_actions_addopen(&actions.a, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions.a, write_end.fd, 1);
  posix_spawn_file_actions_adddup2(&actions.a, write_end.fd, 2);
  SpawnAttr attr;
  // The daemon blocks signals for its signalfd and ignores SIGPIPE; the child starts clean.
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr.a, &none);
  posix_spawnattr_setsigdefault(&attr.a, &all);
  posix_spawnattr_setpgroup(&attr.a, 0);
  posix_spawnattr_setflags(&attr.a,
                           POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  pid_t pid = -1;
  if (int rc = posix_spawn(&pid, cargv[0], &actions.a, &attr.a, cargv.data(), environ); rc != 0)
    return tl::make_unexpected(errno_error(rc, "cannot start " + argv.front()));
  write_end.reset();

  ChildOutcome out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  bool exited = false, eof = false;
  int nap_ms = 1;
  char buf[4096];
  while (!exited) {
    if (stop.stop_requested()) {
      out.stopped = true;
      break;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      out.timed_out = true;
      break;
    }
    const auto wait = std::min<std::chrono::steady_clock::duration>(deadline - now, kPollStep);
    if (!eof) {
      pollfd p{read_end.fd, POLLIN, 0};
      int n = ::poll(&p, 1,
                     static_cast<int>(std::chrono::ceil<std::chrono::milliseconds>(wait).count()));
      if (n > 0) {
        ssize_t got = ::read(read_end.fd, buf, sizeof buf);
        if (got > 0) {
          std::size_t room = max_output > out.output.size() ? max_output - out.output.size() : 0;
          std::size_t take = std::min(room, static_cast<std::size_t>(got));
          out.output.append(buf, take);
          if (take < static_cast<std::size_t>(got)) out.truncated = true;
        } else if (got == 0 || errno != EINTR) {
          eof = true;
        }
      }
    } else {
      // The pipe usually closes as the program exits, so it is about to be reapable; a program
      // that closed its output and runs on is polled less and less often.
      ::poll(nullptr, 0, nap_ms);
      nap_ms = std::min(nap_ms * 2, static_cast<int>(kPollStep.count()));
    }
    if (::waitpid(pid, &status, WNOHANG) == pid) exited = true;
  }
  if (!exited) {
    // Before reaping, so the group id cannot have been reused.
    ::kill(-pid, SIGKILL);
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  } else {
    // What the program wrote just before exiting; a background child holding the pipe open
    // does not keep us waiting.
    ::fcntl(read_end.fd, F_SETFL, O_NONBLOCK);
    for (ssize_t got; out.output.size() < max_output &&
                      (got = ::read(read_end.fd, buf,
                                    std::min(sizeof buf, max_output - out.output.size()))) > 0;)
      out.output.append(buf, static_cast<std::size_t>(got));
  }
  if (WIFEXITED(status)) out.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) out.signal = WTERMSIG(status);
  return out;
}

}  // namespace patchparty::health
