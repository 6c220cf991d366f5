// The timed loop of an inventory source's scan, shared by the database benchmarks: one scan an
// iteration, an error ends the run, the package count is reported.
#pragma once

#include <benchmark/benchmark.h>

#include <cstddef>

namespace patchparty::bench {

// `scan` returns Result<std::vector<Package>>: a source's scan() or a parser over fixed text.
template <class Scan>
void scan_loop(benchmark::State& state, Scan&& scan) {
  std::size_t packages = 0;
  for (auto _ : state) {
    auto r = scan();
    if (!r) {
      state.SkipWithError(r.error().to_string().c_str());
      break;
    }
    packages = r->size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["packages"] = static_cast<double>(packages);
}

}  // namespace patchparty::bench
