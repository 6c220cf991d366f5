// How long an inventory of this host's dpkg database takes: our reader and parser against
// asking dpkg-query for the same facts, which is what a scanner without a parser would do.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "collectors/inventory/dpkg_status.h"
#include "tests/bench/inventory/scan_loop.h"

extern char** environ;

namespace {

using patchparty::inventory::DpkgStatus;
using patchparty::inventory::parse_dpkg_status;

// Runs argv with stdout on a pipe and returns everything it printed; "" with a message on error.
std::string spawn_and_read(const std::vector<std::string>& argv, benchmark::State& state) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    state.SkipWithError("pipe2 failed");
    return {};
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int rc = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  std::string out;
  if (rc == 0) {
    char buf[65536];
    for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) != 0;) {
      if (n < 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
  }
  ::close(fds[0]);
  int status = 0;
  if (rc != 0 || ::waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
      WEXITSTATUS(status) != 0) {
    state.SkipWithError("dpkg-query failed");
    return {};
  }
  return out;
}

// CPU seconds used by reaped children so far: dpkg-query's own work, which the benchmark's
// CPU column (this process only) does not see. Compared with our CPU time it is immune to
// the machine's load, unlike wall time.
double children_cpu_seconds() {
  rusage ru{};
  ::getrusage(RUSAGE_CHILDREN, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

std::size_t lines(const std::string& s) {
  std::size_t n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

// What dpkg-query does: the database only, without telling suppliers from apt's lists.
void BM_ScanStatusFile(benchmark::State& state) {
  patchparty::inventory::DpkgStatusOptions o;
  o.apt_lists.clear();
  DpkgStatus source("Debian:12", o);
  patchparty::bench::scan_loop(state, [&] { return source.scan(); });
}
BENCHMARK(BM_ScanStatusFile)->Unit(benchmark::kMillisecond)->UseRealTime();

// The inventory as the daemon runs it: the database, then every package's supplier from this
// machine's apt lists (collectors/inventory/apt_lists.h).
void BM_ScanStatusFileWithAptLists(benchmark::State& state) {
  DpkgStatus source("Debian:12");
  patchparty::bench::scan_loop(state, [&] { return source.scan(); });
}
BENCHMARK(BM_ScanStatusFileWithAptLists)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ParsePreloaded(benchmark::State& state) {
  auto text = patchparty::read_bounded_file("/var/lib/dpkg/status");
  if (!text) {
    state.SkipWithError(text.error().to_string().c_str());
    return;
  }
  patchparty::bench::scan_loop(state, [&] { return parse_dpkg_status(*text, "Debian:12"); });
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(text->size()));
}
BENCHMARK(BM_ParsePreloaded)->Unit(benchmark::kMillisecond)->UseRealTime();

// `dpkg-query -W` as is: name and version only.
void BM_DpkgQueryDefault(benchmark::State& state) {
  std::size_t rows = 0;
  double cpu_before = children_cpu_seconds();
  for (auto _ : state) {
    auto out = spawn_and_read({"dpkg-query", "-W"}, state);
    rows = lines(out);
    benchmark::DoNotOptimize(out);
  }
  state.counters["child_cpu_ms"] = benchmark::Counter((children_cpu_seconds() - cpu_before) * 1e3,
                                                      benchmark::Counter::kAvgIterations);
  state.counters["packages"] = static_cast<double>(rows);
}
BENCHMARK(BM_DpkgQueryDefault)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same facts the parser extracts, including the state needed to drop removed packages.
void BM_DpkgQuerySameFields(benchmark::State& state) {
  std::size_t rows = 0;
  double cpu_before = children_cpu_seconds();
  for (auto _ : state) {
    auto out = spawn_and_read({"dpkg-query", "-W",
                               "-f=${Package}\\t${Architecture}\\t${Version}\\t"
                               "${db:Status-Status}\\t${source:Package}\\t${source:Version}\\n"},
                              state);
    rows = lines(out);
    benchmark::DoNotOptimize(out);
  }
  state.counters["child_cpu_ms"] = benchmark::Counter((children_cpu_seconds() - cpu_before) * 1e3,
                                                      benchmark::Counter::kAvgIterations);
  state.counters["packages"] = static_cast<double>(rows);
}
BENCHMARK(BM_DpkgQuerySameFields)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
