// Our dpkg comparison against libapt-pkg's (debVS.CmpVersion), on the same inputs: the pairs of
// the differential test's generator, and the real version chains of the shared Debian vectors.
#include <apt-pkg/debversion.h>
#include <benchmark/benchmark.h>

#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "core/versions/dpkg_version.h"
#include "tests/bench/versions/pair_bench.h"
#include "tests/unit/versions/version_generators.h"

namespace {

using patchparty::testing::measure;
using patchparty::testing::Pairs;

const Pairs& generated_pairs() {
  static const Pairs pairs = patchparty::testing::generated_pairs(
      patchparty::testing::DpkgPairGenerator(20261126), [](const auto&) { return true; });
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
  measure(state, input(),
          [&](const std::string& a, const std::string& b) { return scheme.compare(a, b); });
}

void apt(benchmark::State& state, const Pairs& (*input)()) {
  measure(state, input(),
          [](const std::string& a, const std::string& b) { return debVS.CmpVersion(a, b); });
}

BENCHMARK_CAPTURE(ours, generated, generated_pairs);
BENCHMARK_CAPTURE(apt, generated, generated_pairs);
BENCHMARK_CAPTURE(ours, debian_vectors, debian_pairs);
BENCHMARK_CAPTURE(apt, debian_vectors, debian_pairs);

}  // namespace

BENCHMARK_MAIN();
