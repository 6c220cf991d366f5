// Our rpm comparison against librpm's, on the differential test's generated EVR pairs and on the
// shared Red Hat vectors. librpm is measured twice: rpmvercmp() alone on the whole strings (the
// bare segment comparison, no EVR split), and rpmverParse() + rpmverCmp() (a full EVR compare,
// as a caller holding "epoch:version-release" strings needs it). Ours always splits the EVR.
#include <benchmark/benchmark.h>
#include <rpm/rpmver.h>

#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "core/versions/rpm_version.h"
#include "tests/bench/versions/pair_bench.h"
#include "tests/unit/versions/version_generators.h"

namespace {

using patchparty::testing::measure;
using patchparty::testing::Pairs;

const Pairs& generated_pairs() {
  static const Pairs pairs = patchparty::testing::generated_pairs(
      patchparty::testing::RpmPairGenerator(20261126), [](const auto& pair) {
        const auto& s = patchparty::versions::rpm_scheme();
        return s.validate(pair.first) && s.validate(pair.second);
      });
  return pairs;
}

const Pairs& redhat_pairs() {
  static const Pairs pairs = [] {
    Pairs p;
    std::ifstream in(PP_TEST_DATA_DIR "/version-vectors/redhat-versions.txt");
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || line[0] == '#') continue;
      auto s1 = line.find(' '), s2 = line.rfind(' ');
      if (s1 == std::string::npos || s1 == s2) continue;
      p.emplace_back(line.substr(0, s1), line.substr(s2 + 1));
    }
    return p;
  }();
  return pairs;
}

void ours(benchmark::State& state, const Pairs& (*input)()) {
  const auto& scheme = patchparty::versions::rpm_scheme();
  measure(state, input(),
          [&](const std::string& a, const std::string& b) { return scheme.compare(a, b); });
}

void librpm_vercmp(benchmark::State& state, const Pairs& (*input)()) {
  measure(state, input(), [](const std::string& a, const std::string& b) {
    return rpmvercmp(a.c_str(), b.c_str());
  });
}

void librpm_evr(benchmark::State& state, const Pairs& (*input)()) {
  measure(state, input(), [](const std::string& a, const std::string& b) {
    rpmver va = rpmverParse(a.c_str());
    rpmver vb = rpmverParse(b.c_str());
    int r = rpmverCmp(va, vb);
    rpmverFree(va);
    rpmverFree(vb);
    return r;
  });
}

BENCHMARK_CAPTURE(ours, generated, generated_pairs);
BENCHMARK_CAPTURE(librpm_vercmp, generated, generated_pairs);
BENCHMARK_CAPTURE(librpm_evr, generated, generated_pairs);
BENCHMARK_CAPTURE(ours, redhat_vectors, redhat_pairs);
BENCHMARK_CAPTURE(librpm_vercmp, redhat_vectors, redhat_pairs);
BENCHMARK_CAPTURE(librpm_evr, redhat_vectors, redhat_pairs);

}  // namespace

BENCHMARK_MAIN();
