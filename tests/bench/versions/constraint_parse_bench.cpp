// How constraint and range parsing time grows with input length, on the inputs that made a
// backtracking engine blow up: a Composer constraint whose version carries a long run of digits
// after "pl" (nested repetition that fails at the end), an npm range with a long prerelease, a
// long PEP 440 release. Google Benchmark fits each to O(N) and prints the fit (BigO, RMS): a
// linear fit with a small RMS is the claim, and the per-length rows show it directly.
#include <benchmark/benchmark.h>

#include <string>

#include "core/versions/composer_constraint.h"
#include "core/versions/npm_range.h"
#include "core/versions/pep440_version.h"

namespace {

using namespace patchparty::versions;

// Lengths up to the parsers' 1024-byte input cap.
constexpr int kMin = 16, kMax = 960;

void BM_ComposerConstraintNines(benchmark::State& state) {
  const std::string c =
      "v1.0pl" + std::string(static_cast<std::size_t>(state.range(0)), '9') + "1 > v1.0rc1";
  for (auto _ : state) benchmark::DoNotOptimize(parse_composer_constraint(c));
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_ComposerConstraintNines)
    ->RangeMultiplier(2)
    ->Range(kMin, kMax)
    ->Complexity(benchmark::oN);

void BM_ComposerConstraintDotted(benchmark::State& state) {
  std::string c = "^1";
  while (c.size() < static_cast<std::size_t>(state.range(0))) c += ".1-";
  for (auto _ : state) benchmark::DoNotOptimize(parse_composer_constraint(c));
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_ComposerConstraintDotted)
    ->RangeMultiplier(2)
    ->Range(kMin, kMax)
    ->Complexity(benchmark::oN);

void BM_NpmRangePrerelease(benchmark::State& state) {
  std::string r = ">=1.0.0-";
  while (r.size() < static_cast<std::size_t>(state.range(0))) r += "a.1.";
  r += "x <2.0.0";
  for (auto _ : state) benchmark::DoNotOptimize(parse_npm_range(r));
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_NpmRangePrerelease)->RangeMultiplier(2)->Range(kMin, kMax)->Complexity(benchmark::oN);

void BM_Pep440Release(benchmark::State& state) {
  std::string v = "1";
  while (v.size() < static_cast<std::size_t>(state.range(0))) v += ".0";
  v += "rc1.post2.dev3+local!";  // fails at the very end
  for (auto _ : state) benchmark::DoNotOptimize(parse_pep440(v));
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_Pep440Release)->RangeMultiplier(2)->Range(kMin, kMax)->Complexity(benchmark::oN);

}  // namespace

BENCHMARK_MAIN();
