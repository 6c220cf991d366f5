// The timed loop of an inventory source's scan, shared by the database benchmarks: one scan an
// iteration, an error ends the run, the package count is reported.
#pragma once

#include <benchmark/benchmark.h>

#include <cstddef>

namespace patchparty::bench {

template <class Source>
void scan_loop(benchmark::State& state, Source& source) {
  std::size_t packages = 0;
  for (auto _ : state) {
    auto r = source.scan();
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
