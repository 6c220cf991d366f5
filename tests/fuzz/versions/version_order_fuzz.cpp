// Version comparators must order every input they accept: a selector byte picks the scheme, the
// rest is versions separated by '\n' or ' ' (so the "A OP B" vector files work as seeds; operator
// tokens are skipped). For each consecutive triple (a, b, c): no crash; errors exactly when
// validate() refuses a side, and then invalid_argument; compare(x, x) == 0;
// compare(a, b) == -compare(b, a); a <= b && b <= c implies a <= c (and likewise >=).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "core/versions/apk_version.h"
#include "core/versions/composer_version.h"
#include "core/versions/dpkg_version.h"
#include "core/versions/maven_version.h"
#include "core/versions/pep440_version.h"
#include "core/versions/rpm_version.h"
#include "core/versions/rubygems_version.h"
#include "core/versions/semver_version.h"

namespace {

using patchparty::Errc;
using patchparty::versions::VersionScheme;

using Accessor = const VersionScheme& (*)();
struct Scheme {
  Accessor get;
  // maven-artifact 3.8's ComparableVersion, whose order the Maven scheme keeps (the shared Maven
  // vectors were generated with it), is not transitive: 3.0rc1 < 3.0 < 3.foo, yet 3.0rc1 > 3.foo
  // (a sub-list beats any qualifier). Maven 3.9 reworked the items; for Maven the harness checks
  // everything but transitivity.
  bool transitive;
};
const Scheme kSchemes[] = {
    {patchparty::versions::dpkg_scheme, true},     {patchparty::versions::rpm_scheme, true},
    {patchparty::versions::apk_scheme, true},      {patchparty::versions::maven_scheme, false},
    {patchparty::versions::rubygems_scheme, true}, {patchparty::versions::semver_scheme, true},
    {patchparty::versions::go_scheme, true},       {patchparty::versions::composer_scheme, true},
    {patchparty::versions::pep440_scheme, true},
};

[[noreturn]] void broken(const VersionScheme& s, const char* what, std::string_view a,
                         std::string_view b, std::string_view c = {}) {
  std::fprintf(stderr, "%.*s: %s: a='%.*s' b='%.*s' c='%.*s'\n", static_cast<int>(s.name().size()),
               s.name().data(), what, static_cast<int>(a.size()), a.data(),
               static_cast<int>(b.size()), b.data(), static_cast<int>(c.size()), c.data());
  std::abort();
}

int sign(int v) {
  return (v > 0) - (v < 0);
}

// compare(a, b) as a sign, or 2 when a side is invalid (checked against validate()).
int ordered(const VersionScheme& s, std::string_view a, std::string_view b, bool va, bool vb) {
  auto r = s.compare(a, b);
  if (r.has_value() != (va && vb)) broken(s, "compare() and validate() disagree", a, b);
  if (!r) {
    if (r.error().code != Errc::invalid_argument) broken(s, "error is not invalid_argument", a, b);
    return 2;
  }
  return sign(*r);
}

void check_triple(const VersionScheme& s, bool transitive, std::string_view a, std::string_view b,
                  std::string_view c) {
  const std::string_view v[3] = {a, b, c};
  bool valid[3];
  for (int i = 0; i < 3; ++i) {
    auto r = s.validate(v[i]);
    valid[i] = r.has_value();
    if (!r && r.error().code != Errc::invalid_argument) broken(s, "validate error code", v[i], {});
    if (valid[i] && ordered(s, v[i], v[i], true, true) != 0) broken(s, "x != x", v[i], v[i]);
  }
  int o[3][3];
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      if (i != j) o[i][j] = ordered(s, v[i], v[j], valid[i], valid[j]);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      if (i != j && valid[i] && valid[j] && o[i][j] != -o[j][i])
        broken(s, "not antisymmetric", v[i], v[j]);
  if (!transitive || !(valid[0] && valid[1] && valid[2])) return;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 3; ++k) {
        if (i == j || j == k || i == k) continue;
        if (o[i][j] <= 0 && o[j][k] <= 0 && o[i][k] > 0)
          broken(s, "not transitive", v[i], v[j], v[k]);
      }
}

bool is_operator(std::string_view t) {
  return t == "<" || t == "=" || t == ">";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const Scheme& picked = kSchemes[data[0] % std::size(kSchemes)];
  const VersionScheme& scheme = picked.get();
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);

  std::vector<std::string_view> tokens;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= rest.size(); ++i) {
    if (i == rest.size() || rest[i] == '\n' || rest[i] == ' ') {
      std::string_view t = rest.substr(start, i - start);
      if (!is_operator(t)) tokens.push_back(t);
      start = i + 1;
    }
  }
  while (tokens.size() < 3) tokens.push_back({});
  // Bounded, so a whole vector file replays in reasonable time.
  constexpr std::size_t kMaxTriples = 20000;
  for (std::size_t i = 0; i + 2 < tokens.size() && i < kMaxTriples; ++i)
    check_triple(scheme, picked.transitive, tokens[i], tokens[i + 1], tokens[i + 2]);
  return 0;
}
