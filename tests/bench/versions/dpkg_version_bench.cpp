// Our dpkg comparison against libapt-pkg's (debVS.CmpVersion), on the same inputs: the pairs of
// the differential test's generator, and the real version chains of the shared Debian vectors.
#include <apt-pkg/debversion.h>
#include <benchmark/benchmark.h>

#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "core/versions/dpkg_version.h"
#include "tests/unit/versions/version_generators.h"

namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

const Pairs& generated_pairs() {
  static const Pairs pairs = [] {
    patchparty::testing::DpkgPairGenerator gen(20261126);
    Pairs p;
    for (int i = 0; i < 10000; ++i) p.push_back(gen.pair());
    return p;
  }();
  return pairs;
}

// "A < B" lines of real Debian package versions.
const Pairs& debian_pairs() {
  static const Pairs pairs = [] {
    Pairs p;
    std::ifstream in(PP_TEST_DATA_DIR "/version-vectors/debian-versions-generated.txt");
    for (std::string a, op, b; in >> a >> op >> b;) p.emplace_back(a, b);
    return p;
  }();
  return pairs;
}

void ours(benchmark::State& state, const Pairs& (*input)()) {
  const auto& scheme = patchparty::versions::dpkg_scheme();
  const Pairs& pairs = input();
  for (auto _ : state) {
    for (const auto& [a, b] : pairs) {
      auto r = scheme.compare(a, b);
      benchmark::DoNotOptimize(r);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(pairs.size()));
}

void apt(benchmark::State& state, const Pairs& (*input)()) {
  const Pairs& pairs = input();
  for (auto _ : state) {
    for (const auto& [a, b] : pairs) {
      int r = debVS.CmpVersion(a, b);
      benchmark::DoNotOptimize(r);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(pairs.size()));
}

BENCHMARK_CAPTURE(ours, generated, generated_pairs);
BENCHMARK_CAPTURE(apt, generated, generated_pairs);
BENCHMARK_CAPTURE(ours, debian_vectors, debian_pairs);
BENCHMARK_CAPTURE(apt, debian_vectors, debian_pairs);

}  // namespace

BENCHMARK_MAIN();
