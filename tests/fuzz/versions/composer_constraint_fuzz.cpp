// Every line of the input is read as a Composer constraint and as a version; versions are
// compared with each other and tested against each constraint. Nothing may crash or hang.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/versions/composer_constraint.h"
#include "core/versions/composer_version.h"
#include "tests/fuzz/versions/input_lines.h"

using namespace patchparty::versions;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> lines = patchparty::testing::input_lines(in, 64);
  std::vector<std::string> versions{"1.2.3.0", "dev-master", "1.0.0.0-beta1"};
  for (auto line : lines) {
    auto v = composer_normalize(line);
    if (!v) continue;
    (void)composer_stability(*v);
    (void)php_version_compare(*v, versions.back());
    (void)composer_scheme().compare(line, "1.0");
    versions.push_back(*v);
  }
  lines.push_back(in);
  for (auto line : lines) {
    auto c = parse_composer_constraint(line);
    if (!c) continue;
    for (const auto& v : versions) (void)c->test(v);
  }
  return 0;
}
