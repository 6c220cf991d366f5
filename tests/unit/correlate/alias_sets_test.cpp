#include "core/correlate/alias_sets.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "collectors/feeds/debian_dsa_list.h"
#include "core/record/osv_record.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty::correlate {
namespace {

using ::testing::ElementsAre;

TEST(AliasSets, ChainsMergeIntoOneSetWithACvePrimary) {
  AliasSets s;
  s.add("GHSA-aaaa-bbbb-cccc", {"CVE-2024-0001"});
  s.add("DSA-5000-1", {"CVE-2024-0001", "CVE-2024-0002"});
  s.add("DLA-3000-1", {"CVE-2024-0002"});
  s.add("OSV-2024-1", {});
  EXPECT_EQ(s.primary("DLA-3000-1"), "CVE-2024-0001");
  EXPECT_EQ(s.primary("GHSA-aaaa-bbbb-cccc"), "CVE-2024-0001");
  EXPECT_THAT(s.members("DSA-5000-1"), ElementsAre("CVE-2024-0001", "CVE-2024-0002", "DLA-3000-1",
                                                   "DSA-5000-1", "GHSA-aaaa-bbbb-cccc"));
  EXPECT_EQ(s.primary("OSV-2024-1"), "OSV-2024-1");
  EXPECT_THAT(s.members("never-seen"), ElementsAre("never-seen"));
}

TEST(AliasSets, PrimaryDoesNotDependOnOrder) {
  AliasSets a, b;
  a.add("GHSA-x", {"PYSEC-1"});
  a.add("PYSEC-1", {"CVE-2020-9"});
  b.add("PYSEC-1", {"CVE-2020-9"});
  b.add("GHSA-x", {"PYSEC-1"});
  EXPECT_EQ(a.primary("GHSA-x"), "CVE-2020-9");
  EXPECT_EQ(b.primary("GHSA-x"), "CVE-2020-9");
  AliasSets g;
  g.add("MAL-1", {"GHSA-z"});
  EXPECT_EQ(g.primary("MAL-1"), "GHSA-z");
}

// Real data: the DSA list names DSA-3029-1's CVEs; the OSV record of the same DSA lists them
// too; both end in one set with the tracker's CVE as the primary name.
TEST(AliasSets, DebianListAndOsvRecordsMerge) {
  AliasSets s;
  auto text = testing::Subprocess::slurp(testing::test_data("debian/DSA-list.txt"));
  auto stats = feeds::parse_dsa_list(text, [&](Advisory&& a) -> Result<> {
    s.add(a.id, a.aliases);
    return {};
  });
  ASSERT_OK(stats);
  auto osv = feeds::parse_osv_record(
      testing::Subprocess::slurp(testing::test_data("debian/osv/DSA-3029-1.json")));
  ASSERT_OK(osv);
  s.add(osv->id, osv->aliases);
  auto members = s.members("DSA-3029-1");
  ASSERT_GT(members.size(), 1u);
  EXPECT_TRUE(s.primary("DSA-3029-1").starts_with("CVE-"));
  for (const auto& m : members) EXPECT_EQ(s.primary(m), s.primary("DSA-3029-1")) << m;
}

}  // namespace
}  // namespace patchparty::correlate
