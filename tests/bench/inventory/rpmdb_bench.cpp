// How long an inventory of a Berkeley DB rpmdb takes beside the SQLite one of the same packages:
// CBL-Mariner 2.0's real rpmdb.sqlite (129 packages), and a Packages file that db5.3_load makes
// from its header blobs at start-up, as tests/unit/inventory/rpmdb_bdb_test.cpp does.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "collectors/inventory/rpm_db.h"
#include "collectors/inventory/rpmdb_bdb.h"
#include "core/base/bounded_file.h"
#include "tests/bench/inventory/scan_loop.h"
#include "tests/support/bdb_rpmdb.h"

namespace {

namespace fs = std::filesystem;
using patchparty::inventory::RpmDb;

const fs::path kSqlite = fs::path(PP_TEST_DATA_DIR) / "rpmdb/cbl-mariner-2.0/rpmdb.sqlite";

// The generated Packages file, made once; empty with `error` set when it cannot be made.
struct Generated {
  fs::path dir =
      fs::temp_directory_path() / ("patchparty-rpmdb-bench-" + std::to_string(::getpid()));
  fs::path packages = dir / "Packages";
  std::string error;
  Generated() {
    fs::create_directories(dir);
    auto blobs = patchparty::testing::sqlite_header_blobs(kSqlite);
    if (!blobs) {
      error = blobs.error().to_string();
      return;
    }
    if (auto written = patchparty::testing::write_bdb_packages(*blobs, packages); !written)
      error = written.error().to_string();
  }
  ~Generated() { fs::remove_all(dir); }
};

const Generated& generated() {
  static const Generated g;
  return g;
}

void scan(benchmark::State& state, const fs::path& file) {
  RpmDb source("CBL-Mariner", file);
  patchparty::bench::scan_loop(state, [&] { return source.scan(); });
  state.counters["file_MiB"] = static_cast<double>(fs::file_size(file)) / (1 << 20);
}

void BM_ScanBerkeleyDb(benchmark::State& state) {
  if (!generated().error.empty()) {
    state.SkipWithError(generated().error.c_str());
    return;
  }
  scan(state, generated().packages);
}
BENCHMARK(BM_ScanBerkeleyDb)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ScanSqlite(benchmark::State& state) {
  scan(state, kSqlite);
}
BENCHMARK(BM_ScanSqlite)->Unit(benchmark::kMillisecond)->UseRealTime();

// The Berkeley DB reader alone, the file already in memory: what the page walk costs without
// the read and the header parsing.
void BM_WalkBerkeleyDbPreloaded(benchmark::State& state) {
  if (!generated().error.empty()) {
    state.SkipWithError(generated().error.c_str());
    return;
  }
  auto bytes = patchparty::read_bounded_file(generated().packages);
  if (!bytes) {
    state.SkipWithError(bytes.error().to_string().c_str());
    return;
  }
  std::size_t records = 0;
  for (auto _ : state) {
    records = 0;
    auto r = patchparty::inventory::read_bdb_hash_packages(
        *bytes, [&](std::uint32_t, std::string_view blob) -> patchparty::Result<> {
          benchmark::DoNotOptimize(blob.data());
          ++records;
          return {};
        });
    if (!r) {
      state.SkipWithError(r.error().to_string().c_str());
      break;
    }
  }
  state.counters["records"] = static_cast<double>(records);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(bytes->size()));
}
BENCHMARK(BM_WalkBerkeleyDbPreloaded)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
