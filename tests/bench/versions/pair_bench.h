// What the version benchmarks share: the generated pairs both they and the differential tests
// use, and the timed loop, so that ours and the ecosystem's comparator are measured alike.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace patchparty::testing {

using Pairs = std::vector<std::pair<std::string, std::string>>;

// The first 10000 pairs of `gen` that `keep` accepts.
template <class Generator, class Keep>
Pairs generated_pairs(Generator gen, Keep keep) {
  Pairs p;
  while (p.size() < 10000) {
    auto pair = gen.pair();
    if (keep(pair)) p.push_back(std::move(pair));
  }
  return p;
}

// Times `compare(a, b)` over all pairs; an item is one comparison.
template <class Compare>
void measure(benchmark::State& state, const Pairs& pairs, Compare compare) {
  for (auto _ : state) {
    for (const auto& [a, b] : pairs) {
      auto r = compare(a, b);
      benchmark::DoNotOptimize(r);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(pairs.size()));
}

}  // namespace patchparty::testing
