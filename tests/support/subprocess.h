// Runs the project's executables from tests: argv vectors only, output captured to files.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace patchparty::testing {

class Subprocess {
 public:
  // Starts argv[0] with the current environment plus `env`; stdout and stderr go to files.
  Subprocess(std::vector<std::string> argv, std::map<std::string, std::string> env,
             std::filesystem::path out_file, std::filesystem::path err_file,
             std::optional<std::filesystem::path> in_file = std::nullopt)
      : out_(std::move(out_file)), err_(std::move(err_file)) {
    std::vector<std::string> envs;
    for (char** e = environ; *e; ++e) {
      std::string kv(*e);
      if (!env.count(kv.substr(0, kv.find('=')))) envs.push_back(kv);
    }
    for (const auto& [k, v] : env) envs.push_back(k + "=" + v);
    std::vector<char*> cargv, cenv;
    for (auto& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    for (auto& e : envs) cenv.push_back(e.data());
    cenv.push_back(nullptr);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, in_file ? in_file->c_str() : "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    // The test binary may block signals; the child must start with a clean mask.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
    // Not started: reported as exit 127, like a shell's "not found". pid_ stays -1, which
    // waitpid() and kill() would read as "any child" and "every process".
    if (posix_spawn(&pid_, cargv[0], &fa, &attr, cargv.data(), cenv.data()) != 0) {
      pid_ = -1;
      status_ = 127 << 8;
    }
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&fa);
  }
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;
  ~Subprocess() {
    if (pid_ > 0 && !status_) {
      ::kill(pid_, SIGKILL);
      int st = 0;
      ::waitpid(pid_, &st, 0);
    }
  }

  pid_t pid() const { return pid_; }
  bool running() {
    if (status_) return false;
    int st = 0;
    if (::waitpid(pid_, &st, WNOHANG) == pid_) {
      status_ = st;
      return false;
    }
    return true;
  }
  void signal(int sig) {
    if (pid_ > 0 && !status_) ::kill(pid_, sig);
  }
  // Exit code, 128+signal for a signal death, nullopt when still running after `timeout`.
  std::optional<int> wait(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (running()) {
      if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (WIFEXITED(*status_)) return WEXITSTATUS(*status_);
    return 128 + WTERMSIG(*status_);
  }
  std::string out() const { return slurp(out_); }
  std::string err() const { return slurp(err_); }

  static std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::filesystem::path out_, err_;
};

struct RunResult {
  int code;
  std::string out, err;
};

// Runs to completion (killed after `timeout`) and returns code and output.
inline RunResult run(std::vector<std::string> argv, const std::filesystem::path& dir,
                     std::optional<std::filesystem::path> in_file = std::nullopt,
                     std::map<std::string, std::string> env = {},
                     std::chrono::milliseconds timeout = std::chrono::seconds(60)) {
  Subprocess p(std::move(argv), std::move(env), dir / "run.out", dir / "run.err", in_file);
  auto code = p.wait(timeout);
  if (!code) {
    p.signal(SIGKILL);
    code = p.wait(std::chrono::seconds(5));
    return RunResult{-1, p.out(), p.err() + "\n(timed out)"};
  }
  return RunResult{*code, p.out(), p.err()};
}

// The non-empty lines of an oracle's output, as a set to compare with.
inline std::set<std::string> output_lines(const std::string& text) {
  std::set<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) out.insert(line);
  return out;
}

}  // namespace patchparty::testing
