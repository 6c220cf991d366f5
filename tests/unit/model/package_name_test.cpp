#include "core/model/package_name.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "tests/support/test_data.h"
#include "tests/unit/versions/oracle_process.h"

namespace patchparty {
namespace {

// Every "name" of a JSON or TOML lockfile line `name = "x"` / `"name": "x"`: real PyPI names.
std::vector<std::string> names_in(const std::string& relative, const std::string& prefix) {
  std::ifstream in(testing::test_data(relative));
  EXPECT_TRUE(in.good()) << relative;
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    const auto at = line.find(prefix);
    if (at == std::string::npos) continue;
    const auto start = at + prefix.size();
    const auto end = line.find('"', start);
    if (end != std::string::npos && end > start) out.push_back(line.substr(start, end - start));
  }
  return out;
}

TEST(PackageName, PypiNamesAgreeWithPackagingCanonicalizeName) {
  std::vector<std::string> names = names_in("lockfiles/osv-detector-1-poetry.lock", "name = \"");
  const auto more = names_in("lockfiles/osv-detector-1-Pipfile.lock", "        \"");
  names.insert(names.end(), more.begin(), more.end());
  for (const char* hard :
       {"Django", "zope.interface", "Zope_Interface", "a__-._b", "_x_", "A.B-C_D", "--",
        "ruamel.yaml.clib", "PyYAML", "backports.zoneinfo", "x"})
    names.emplace_back(hard);
  ASSERT_GT(names.size(), 200u);
  const auto expected = testing::run_oracle("pypi_name_oracle.py", "", names);
  ASSERT_EQ(expected.size(), names.size());
  for (std::size_t i = 0; i < names.size(); ++i)
    EXPECT_EQ(index_package_name("PyPI", names[i]), expected[i]) << names[i];
}

TEST(PackageName, PackagistIsCaseInsensitiveAndOthersExact) {
  EXPECT_EQ(index_package_name("Packagist", "Symfony/HTTP-Kernel"), "symfony/http-kernel");
  EXPECT_TRUE(same_package_name("Packagist", "Twig/Twig", "twig/twig"));
  EXPECT_TRUE(same_package_name("PyPI", "Zope.Interface", "zope-interface"));
  EXPECT_FALSE(same_package_name("PyPI", "zopeinterface", "zope-interface"));
  for (const char* base : {"npm", "Go", "crates.io", "RubyGems", "Maven", "Debian"}) {
    EXPECT_EQ(index_package_name(base, "Foo_Bar.baz"), "Foo_Bar.baz") << base;
    EXPECT_FALSE(same_package_name(base, "Foo", "foo")) << base;
  }
}

}  // namespace
}  // namespace patchparty
