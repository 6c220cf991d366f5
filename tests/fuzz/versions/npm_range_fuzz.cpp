// Every line of the input is read as an npm range and as a version, and each range is tested
// against a few versions; the whole input is also one range. Nothing may crash or hang.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/versions/npm_range.h"
#include "core/versions/semver_version.h"
#include "tests/fuzz/versions/input_lines.h"

using namespace patchparty::versions;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> lines = patchparty::testing::input_lines(in, 64);
  std::vector<Semver> versions;
  for (const char* v : {"1.2.3", "0.0.0", "2.0.0-rc.1", "1.2.4-alpha.1"}) {
    auto p = parse_semver(v, SemverDialect::node);
    if (p) versions.push_back(*p);
  }
  for (auto line : lines) {
    auto v = parse_semver(line, SemverDialect::node);
    if (v) {
      versions.push_back(*v);
      (void)compare_semver(*v, versions.front(), SemverDialect::node);
    }
    auto g = parse_semver(line, SemverDialect::go);
    if (g) (void)compare_semver(*g, *g, SemverDialect::go);
  }
  lines.push_back(in);
  for (auto line : lines) {
    auto r = parse_npm_range(line);
    if (!r) continue;
    for (const auto& v : versions) (void)r->test(v);
  }
  return 0;
}
