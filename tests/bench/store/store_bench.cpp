// A host inventory of 3,000 packages, saved and read back as the daemon does after every scan.
#include <benchmark/benchmark.h>

#include <unistd.h>

#include <filesystem>
#include <string>

#include "core/store/store.h"

namespace patchparty::store {
namespace {

namespace fs = std::filesystem;

constexpr int kPackages = 3000;

std::vector<Package> host_packages(int n) {
  std::vector<Package> out;
  out.reserve(n);
  for (int i = 0; i < n; ++i) {
    Package& p = out.emplace_back();
    p.ecosystem = "Debian:12";
    p.name = "libexample-package-" + std::to_string(i);
    p.version = "2." + std::to_string(i % 97) + ".1-" + std::to_string(i % 7) + "+deb12u1";
    p.source_name = "example-source-" + std::to_string(i / 4);
    p.source_version = p.version;
    p.arch = i % 3 ? "amd64" : "all";
    p.origin = "dpkg";
    p.location = "/var/lib/dpkg/status";
  }
  return out;
}

// A state directory of its own, removed when the benchmark ends.
struct StateDir {
  fs::path path =
      fs::temp_directory_path() / ("patchparty-bench-store-" + std::to_string(::getpid()));
  StateDir() { fs::remove_all(path); }
  ~StateDir() { fs::remove_all(path); }
};

void BM_SaveInventory(benchmark::State& state) {
  StateDir dir;
  auto store = Store::open(dir.path);
  if (!store) return state.SkipWithError(store.error().message.c_str());
  const auto packages = host_packages(kPackages);
  std::int64_t taken_at = 0;
  for (auto _ : state) {
    auto id = store->save_inventory("dpkg", "", packages, ++taken_at);
    if (!id) return state.SkipWithError(id.error().message.c_str());
    // Retention as the daemon runs it, outside the timing: the database stays its steady size.
    state.PauseTiming();
    auto pruned = store->prune_snapshots();
    state.ResumeTiming();
    if (!pruned) return state.SkipWithError(pruned.error().message.c_str());
  }
  state.SetItemsProcessed(state.iterations() * kPackages);
}
BENCHMARK(BM_SaveInventory)->Unit(benchmark::kMillisecond);

void BM_PruneOneSnapshot(benchmark::State& state) {
  StateDir dir;
  auto store = Store::open(dir.path);
  if (!store) return state.SkipWithError(store.error().message.c_str());
  const auto packages = host_packages(kPackages);
  std::int64_t taken_at = 0;
  for (int i = 0; i < kDefaultSnapshotsKept; ++i) {
    if (!store->save_inventory("dpkg", "", packages, ++taken_at)) {
      return state.SkipWithError("setup failed");
    }
  }
  for (auto _ : state) {
    state.PauseTiming();
    auto id = store->save_inventory("dpkg", "", packages, ++taken_at);
    state.ResumeTiming();
    if (!id) return state.SkipWithError(id.error().message.c_str());
    auto pruned = store->prune_snapshots();
    if (!pruned || *pruned != 1) return state.SkipWithError("expected one snapshot pruned");
  }
}
BENCHMARK(BM_PruneOneSnapshot)->Unit(benchmark::kMillisecond);

void BM_LatestInventory(benchmark::State& state) {
  StateDir dir;
  auto store = Store::open(dir.path);
  if (!store) return state.SkipWithError(store.error().message.c_str());
  const auto packages = host_packages(kPackages);
  // A full retention window behind the latest snapshot, as on a host that has run for a while.
  for (int i = 0; i < kDefaultSnapshotsKept; ++i) {
    if (!store->save_inventory("dpkg", "", packages, i)) return state.SkipWithError("setup failed");
  }
  auto reader = Store::open_read_only(dir.path);
  if (!reader) return state.SkipWithError(reader.error().message.c_str());
  for (auto _ : state) {
    auto latest = reader->latest_inventory();
    if (!latest || latest->size() != packages.size()) {
      return state.SkipWithError("latest inventory is not the saved one");
    }
    benchmark::DoNotOptimize(latest->data());
  }
  state.SetItemsProcessed(state.iterations() * kPackages);
}
BENCHMARK(BM_LatestInventory)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace patchparty::store

BENCHMARK_MAIN();
