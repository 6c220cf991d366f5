// The fleet merge end to end: 1,000 hosts' backlogs (50 tasks each, written by the host backlog's
// own JSON writer) served over loopback HTTP, and the real `patchparty fleet backlog` asked to
// find them in a file_sd file, fetch, merge and write the plan. Measured from outside the CLI:
// wall time and the child's peak RSS (wait4), so the server's copy of the bodies is not counted.
//
// Every host has its own URL (http://hNNNN.localhost:PORT): libcurl answers *.localhost with
// loopback itself (RFC 6761), and the server picks the host's body by the Host header.
#include <CivetServer.h>
#include <benchmark/benchmark.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "exporters/backlog/backlog.h"
#include "exporters/backlog/backlog_writers.h"
#include "tests/unit/backlog/sample_findings.h"

namespace patchparty {
namespace {

constexpr int kHosts = 1000;
constexpr int kTasksPerHost = 50;
constexpr int kPackagesPerKind = 300;

// Four kinds of host: Debian 12, Debian 11, AlmaLinux 9, an npm project. Each has 50 of its
// kind's 300 packages vulnerable, two CVEs each, so tasks merge over tens of hosts.
std::string host_backlog(int host) {
  std::mt19937 rng(static_cast<unsigned>(host));
  const int kind = host % 4;
  std::vector<int> pool(kPackagesPerKind);
  for (int i = 0; i < kPackagesPerKind; ++i) pool[i] = i;
  std::shuffle(pool.begin(), pool.end(), rng);
  std::vector<Finding> findings;
  for (int t = 0; t < kTasksPerHost; ++t) {
    const std::string name = "pkg" + std::to_string(pool[t]);
    Package p;
    std::string fixed;
    if (kind == 3) {
      p = testing::app_package("npm", "shop", name, "1.0.0", "npm", "/srv/shop/package-lock.json");
      fixed = "1." + std::to_string(1 + pool[t] % 3) + ".0";
    } else if (kind == 2) {
      p = testing::debian_package(name, name, "1.0-1.el9");
      p.ecosystem = "AlmaLinux:9";
      p.origin = "rpm";
      fixed = "1." + std::to_string(1 + pool[t] % 3) + "-1.el9";
    } else {
      p = testing::debian_package(name, name, "1.0-1");
      p.ecosystem = kind == 0 ? "Debian:12" : "Debian:11";
      fixed = "1." + std::to_string(1 + pool[t] % 3) + "-1";
    }
    for (int v = 0; v < 2; ++v) {
      Finding f =
          testing::make_finding(p, "CVE-2026-" + std::to_string(10000 + pool[t] * 2 + v), fixed,
                                static_cast<SeverityLevel>(1 + (pool[t] + v) % 4),
                                (pool[t] * 7 % 100) / 1.0, testing::kNow - 86400 * (pool[t] % 60));
      f.summary = "A flaw in " + name + " lets a remote attacker do something unpleasant";
      f.references = {"https://security-tracker.debian.org/tracker/" + f.vulnerability};
      f.kev = pool[t] % 41 == 0;
      findings.push_back(std::move(f));
    }
  }
  exporters::BacklogOptions o;
  o.host = "h" + std::to_string(host);
  o.now = testing::kNow;
  o.wave = host % 50 == 0 ? "canary" : std::to_string(1 + host % 3);
  o.project_dirs = {{"shop", "/srv/shop"}};
  return exporters::backlog_json(exporters::build_backlog(findings, config::SlaConfig{}, o));
}

class Backlogs : public CivetHandler {
 public:
  Backlogs() {
    for (int h = 0; h < kHosts; ++h) {
      bodies_["h" + std::to_string(h)] = host_backlog(h);
      bytes_ += bodies_["h" + std::to_string(h)].size();
    }
  }
  bool handleGet(CivetServer*, mg_connection* conn) override {
    const char* host = mg_get_header(conn, "Host");
    std::string name = host ? host : "";
    name = name.substr(0, name.find('.'));
    auto it = bodies_.find(name);
    if (it == bodies_.end()) {
      mg_send_http_error(conn, 404, "%s", "no such host");
      return true;
    }
    mg_send_http_ok(conn, "application/json", static_cast<long long>(it->second.size()));
    mg_write(conn, it->second.data(), it->second.size());
    return true;
  }
  std::size_t bytes() const { return bytes_; }

 private:
  std::map<std::string, std::string> bodies_;
  std::size_t bytes_ = 0;
};

// Forks the server: it makes the bodies, serves them on a free port and says which (and how many
// bytes it serves) on a pipe, then waits to be killed.
pid_t start_server(int& port, std::size_t& bytes) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    Backlogs backlogs;
    CivetServer server({"listening_ports", "127.0.0.1:0", "num_threads", "8"});
    server.addHandler("/api/v1/backlog", &backlogs);
    const long long said[2] = {server.getListeningPorts().at(0),
                               static_cast<long long>(backlogs.bytes())};
    if (write(fds[1], said, sizeof said) != sizeof said) _exit(1);
    for (;;) pause();
  }
  close(fds[1]);
  long long said[2] = {0, 0};
  const bool ok = read(fds[0], said, sizeof said) == sizeof said;
  close(fds[0]);
  port = static_cast<int>(said[0]);
  bytes = static_cast<std::size_t>(said[1]);
  return ok ? pid : -1;
}

void BM_FleetBacklogOf1000Hosts(benchmark::State& state) {
  int port = 0;
  std::size_t served = 0;
  const pid_t server = start_server(port, served);
  if (server <= 0) {
    state.SkipWithError("the server did not start");
    return;
  }
  const auto dir =
      std::filesystem::temp_directory_path() / ("pp-fleet-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  {
    std::ofstream sd(dir / "targets.json");
    sd << "[{\"targets\": [";
    for (int h = 0; h < kHosts; ++h)
      sd << (h ? ", " : "") << "\"h" << h << ".localhost:" << port << "\"";
    sd << "]}]\n";
  }
  long peak_kb = 0;
  for (auto _ : state) {
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
      const std::string sd = (dir / "targets.json").string(), out = (dir / "fleet.json").string();
      execl(PATCHPARTY_BIN, PATCHPARTY_BIN, "fleet", "backlog", "--file-sd", sd.c_str(), "--format",
            "json", "-o", out.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    state.SetIterationTime(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    // Exit 1: tasks, and every host answered (3 would mean some did not).
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 1) {
      state.SkipWithError("patchparty fleet backlog did not exit 1");
      break;
    }
    peak_kb = std::max(peak_kb, usage.ru_maxrss);
  }
  state.counters["hosts"] = kHosts;
  state.counters["served_MB"] = static_cast<double>(served) / 1e6;
  state.counters["peak_rss_MB"] = static_cast<double>(peak_kb) / 1024.0;
  kill(server, SIGKILL);
  waitpid(server, nullptr, 0);
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_FleetBacklogOf1000Hosts)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);

}  // namespace
}  // namespace patchparty

BENCHMARK_MAIN();
