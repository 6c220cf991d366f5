#include "daemon/rollback/command_rollback.h"

#include <exception>

#include "core/base/child_process.h"
#include "core/base/duration.h"
#include "core/base/one_line.h"

namespace patchparty::rollback {

namespace {

// Only the first line reaches the detail; the rest of a long apt-get log is not kept.
constexpr std::size_t kMaxOutput = 4096;
constexpr std::size_t kMaxLine = 200;

std::string first_line(const std::string& output) {
  const auto start = output.find_first_not_of(" \t\r\n");
  if (start == std::string::npos) return {};
  const auto end = output.find_first_of("\r\n", start);
  return one_line(std::string_view(output).substr(start, end - start), kMaxLine);
}

// Arguments a reader would misparse (spaces, quotes, empty) are single-quoted, for the log only:
// nothing ever hands this string to a shell.
std::string quoted(const std::string& arg) {
  const bool plain =
      !arg.empty() && arg.find_first_of(" \t\n'\"\\$`;&|<>()*?") == std::string::npos;
  if (plain) return arg;
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

RollbackResult run_argv(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                        std::stop_token stop) {
  auto r = health::run_child(argv, timeout, kMaxOutput, std::move(stop));
  if (!r) return {false, one_line("cannot start " + argv.front() + ": " + r.error().message)};
  const std::string line = first_line(r->output);
  auto with_output = [&](std::string what) { return line.empty() ? what : what + ": " + line; };
  if (r->stopped) return {false, "stopped before the command finished; process group killed"};
  if (r->timed_out)
    return {false, with_output("timed out after " + config::format_duration(timeout) +
                               "; process group killed")};
  if (r->exit_code)
    return {*r->exit_code == 0, with_output("exit " + std::to_string(*r->exit_code))};
  return {false, with_output("killed by signal " + std::to_string(r->signal))};
}

}  // namespace

CommandRollback::CommandRollback(std::vector<std::string> argv, std::chrono::milliseconds timeout)
    : argv_(std::move(argv)), timeout_(timeout) {}

RollbackResult CommandRollback::run(std::stop_token stop) {
  if (argv_.empty()) return {false, "empty command"};
  try {
    return run_argv(argv_, timeout_, std::move(stop));
  } catch (const std::exception& e) {  // bad_alloc: the caller is promised no exceptions
    return {false, std::string("rollback command: ") + e.what()};
  }
}

std::string CommandRollback::describe() const {
  std::string out;
  for (const auto& arg : argv_) out += (out.empty() ? "" : " ") + quoted(arg);
  return out;
}

}  // namespace patchparty::rollback
