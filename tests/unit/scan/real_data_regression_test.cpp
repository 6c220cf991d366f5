// Regressions found against the real data: Drupal advisories on a Composer repository suffix, and
// a fixed version that is itself affected when a feed chains adjacent branches.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "collectors/inventory/composer_lock.h"
#include "tests/support/test_data.h"
#include "tests/unit/scan/scan_bench.h"
#include "tests/unit/versions/oracle_process.h"

namespace patchparty::scan {
namespace {

using testing::ids_of;
using testing::ScanBench;

// 1. OSV's Packagist ecosystem may carry the Composer repository as a suffix
//    ("Packagist:https://packages.drupal.org/8", osv-schema ecosystems.json). A composer.lock
//    package is inventoried as plain "Packagist" (the lockfile does not say which repository
//    served it), and drupal/* on packagist.org is reserved to the Drupal security team, so the
//    name is unambiguous: Drupal contrib advisories must match it, as Renovate (#45203) and
//    osv-offline do and osv-scanner's Drupal lockfile fixtures (#2323) expect.
TEST(RealDataRegression, DrupalContribAdvisoryMatchesAComposerLockPackage) {
  ScanBench bench("drupal");
  ASSERT_EQ(bench.feed("osv", "osv/Packagist", {}, "osv-packagist"), 413);
  Package p;
  p.ecosystem = "Packagist";
  p.name = p.source_name = "drupal/webform";
  p.version = p.source_version = "6.0.0";
  p.origin = "composer";
  p.project = "site";
  p.location = "site/composer.lock";
  bench.inventory("composer", "site", {p});
  auto report = bench.scan();
  ASSERT_TRUE(report);
  bool found = false;
  for (const auto& f : report->findings)
    found = found || ids_of(f).count("DRUPAL-CONTRIB-2021-004");
  EXPECT_TRUE(found) << "DRUPAL-CONTRIB-2021-004 (Packagist:https://packages.drupal.org/8, "
                        "last_affected 6.0.0) not reported for drupal/webform 6.0.0";
}

// 2. FriendsOfPHP splits one fix history into adjacent branches (">=5.3.0,<5.4.0" for the
//    unmaintained 5.3 line, then ">=5.4.0,<5.4.20"). The reported fixed version must be one
//    that is not itself affected: 5.4.20, not 5.4.0.
TEST(RealDataRegression, FixedVersionIsNotItselfAffected) {
  const auto root = testing::test_data("friendsofphp");
  std::map<std::string, std::string> constraint_of;  // FRIENDSOFPHP-… → composer constraint
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (!e.is_regular_file() || e.path().extension() != ".yaml") continue;
    YAML::Node doc = YAML::LoadFile(e.path().string());
    auto rel = e.path().lexically_relative(root);
    rel.replace_extension();
    std::string c;
    for (const auto& b : doc["branches"]) {
      std::string v;
      for (const auto& x : b.second["versions"]) v += (v.empty() ? "" : ",") + x.as<std::string>();
      c += (c.empty() ? "" : " || ") + v;
    }
    constraint_of["FRIENDSOFPHP-" + rel.generic_string()] = c;
  }
  ScanBench bench("fixed");
  ASSERT_GT(bench.feed("friendsofphp", "friendsofphp"), 400);
  inventory::ComposerLock lock(testing::test_data("lockfiles/symfony-demo-v1.7.1-composer.lock"),
                               "demo171");
  auto packages = lock.scan();
  ASSERT_TRUE(packages.has_value());
  bench.inventory("composer", "demo171", *packages);
  auto report = bench.scan();
  ASSERT_TRUE(report);
  std::vector<std::string> requests, keys;
  for (const auto& f : report->findings) {
    if (f.fixed_version.empty()) continue;
    for (const auto& id : ids_of(f)) {
      auto it = constraint_of.find(id);
      if (it == constraint_of.end()) continue;
      requests.push_back("sat\x1f" + f.fixed_version + "\x1f" + it->second);
      keys.push_back(f.package.name + " " + f.package.version + " " + id + " fixed " +
                     f.fixed_version);
    }
  }
  ASSERT_FALSE(requests.empty());
  const auto answers = testing::ask_composer_oracle(requests);
  ASSERT_EQ(answers.size(), requests.size());
  int bad = 0;
  for (std::size_t i = 0; i < answers.size(); ++i) {
    if (answers[i] != "false") {
      ++bad;
      ADD_FAILURE() << "the reported fix is itself affected: " << keys[i];
    }
  }
  std::cout << bad << " of " << requests.size() << " reported fixes are still affected\n";
}

}  // namespace
}  // namespace patchparty::scan
