#include "core/versions/osv_range.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/versions/dpkg_version.h"
#include "core/versions/maven_version.h"
#include "tests/support/test_data.h"

namespace patchparty::versions {
namespace {

using Kind = RangeEvent::Kind;

Range range(std::vector<RangeEvent> events, Range::Type type = Range::Type::ecosystem) {
  Range r;
  r.type = type;
  r.events = std::move(events);
  return r;
}

Affected affected(std::vector<Range> ranges, std::vector<std::string> versions = {}) {
  Affected a;
  a.ecosystem = "Debian:12";
  a.name = "openssl";
  a.ranges = std::move(ranges);
  a.versions = std::move(versions);
  return a;
}

bool hit(const Affected& a, std::string_view v, const VersionScheme& s = dpkg_scheme()) {
  auto r = is_affected(s, v, a);
  EXPECT_TRUE(r.has_value()) << v << ": " << r.error().to_string();
  return r.value_or(false);
}

TEST(OsvRange, IntroducedZeroMeansFromTheBeginning) {
  auto a = affected({range({{Kind::introduced, "0"}, {Kind::fixed, "1.2-1"}})});
  EXPECT_TRUE(hit(a, "0~~"));  // below dpkg's "0", still affected
  EXPECT_TRUE(hit(a, "1.1"));
  EXPECT_TRUE(hit(a, "1.2-0~deb12u1"));
  EXPECT_FALSE(hit(a, "1.2-1"));
  EXPECT_FALSE(hit(a, "1:0.1"));
}

TEST(OsvRange, IntroducedIsInclusiveFixedIsExclusive) {
  auto a = affected({range({{Kind::introduced, "1.0"}, {Kind::fixed, "2.0"}})});
  EXPECT_FALSE(hit(a, "0.9"));
  EXPECT_FALSE(hit(a, "1.0~rc1"));
  EXPECT_TRUE(hit(a, "1.0"));
  EXPECT_TRUE(hit(a, "1.0-0"));  // equal to 1.0 for dpkg
  EXPECT_TRUE(hit(a, "2.0~beta"));
  EXPECT_FALSE(hit(a, "2.0"));
}

TEST(OsvRange, LastAffectedIsInclusive) {
  auto a = affected({range({{Kind::introduced, "1.0"}, {Kind::last_affected, "1.4"}})});
  EXPECT_TRUE(hit(a, "1.4"));
  EXPECT_TRUE(hit(a, "1.4-0"));
  EXPECT_FALSE(hit(a, "1.4-1"));
  EXPECT_FALSE(hit(a, "1.5"));
}

TEST(OsvRange, LimitBoundsTheRangeFromAbove) {
  auto a = affected({range({{Kind::introduced, "0"}, {Kind::limit, "2.0"}})});
  EXPECT_TRUE(hit(a, "1.9"));
  EXPECT_FALSE(hit(a, "2.0"));
  EXPECT_FALSE(hit(a, "3.0"));
  auto star = affected({range({{Kind::introduced, "1.0"}, {Kind::limit, "*"}})});
  EXPECT_TRUE(hit(star, "99"));
  EXPECT_FALSE(hit(star, "0.5"));
  // Below any one of several limits is enough.
  auto two =
      affected({range({{Kind::introduced, "0"}, {Kind::limit, "1.0"}, {Kind::limit, "3.0"}})});
  EXPECT_TRUE(hit(two, "2.0"));
  EXPECT_FALSE(hit(two, "3.0"));
}

TEST(OsvRange, SeveralRangesAnyMatches) {
  auto a = affected({range({{Kind::introduced, "1.0"}, {Kind::fixed, "1.5"}}),
                     range({{Kind::introduced, "2.0"}, {Kind::fixed, "2.5"}})});
  EXPECT_TRUE(hit(a, "1.2"));
  EXPECT_FALSE(hit(a, "1.7"));
  EXPECT_TRUE(hit(a, "2.2"));
  EXPECT_FALSE(hit(a, "2.5"));
}

TEST(OsvRange, EventsInAnyOrderAreSortedByVersion) {
  auto a = affected({range({{Kind::fixed, "2.5"},
                            {Kind::introduced, "2.0"},
                            {Kind::fixed, "1.5"},
                            {Kind::introduced, "0"}})});
  EXPECT_TRUE(hit(a, "0.1"));
  EXPECT_TRUE(hit(a, "1.4"));
  EXPECT_FALSE(hit(a, "1.5"));
  EXPECT_FALSE(hit(a, "1.9"));
  EXPECT_TRUE(hit(a, "2.1"));
  EXPECT_FALSE(hit(a, "10.0"));  // numeric, not string, order: "10.0" > "2.5"
}

TEST(OsvRange, FixedInTheSameVersionAsIntroducedAffectsNothing) {
  auto a = affected({range({{Kind::introduced, "1.0"}, {Kind::fixed, "1.0"}})});
  EXPECT_FALSE(hit(a, "1.0"));
  EXPECT_FALSE(hit(a, "1.1"));
}

TEST(OsvRange, ExplicitVersionsCompareWithTheScheme) {
  auto a = affected({}, {"1:2.0-1", "3.0"});
  EXPECT_TRUE(hit(a, "1:2.0-1"));
  EXPECT_TRUE(hit(a, "0:3.0-0"));  // equal to "3.0" for dpkg
  EXPECT_FALSE(hit(a, "2.0-1"));
  EXPECT_FALSE(hit(a, "3.0-1"));
  auto m = affected({}, {"1.0"});
  EXPECT_TRUE(hit(m, "1.0.0.GA", maven_scheme()));
}

TEST(OsvRange, VersionsListAndRangesBothCount) {
  auto a = affected({range({{Kind::introduced, "2.0"}, {Kind::fixed, "2.1"}})}, {"1.7"});
  EXPECT_TRUE(hit(a, "1.7"));
  EXPECT_TRUE(hit(a, "2.0.5"));
  EXPECT_FALSE(hit(a, "1.8"));
}

TEST(OsvRange, SemverRangesAreEvaluatedGitRangesIgnored) {
  auto a =
      affected({range({{Kind::introduced, "0"}, {Kind::fixed, "not-a-commit"}}, Range::Type::git),
                range({{Kind::introduced, "1.0.0"}, {Kind::fixed, "1.2.0"}}, Range::Type::semver)});
  EXPECT_TRUE(hit(a, "1.1.0", maven_scheme()));
  EXPECT_FALSE(hit(a, "1.2.0", maven_scheme()));
  auto only_git = affected({range({{Kind::introduced, "abc123"}}, Range::Type::git)});
  EXPECT_FALSE(hit(only_git, "1.0"));
  EXPECT_FALSE(hit(affected({}), "1.0"));
}

TEST(OsvRange, UnparsableInstalledVersionIsAnError) {
  auto a = affected({range({{Kind::introduced, "0"}})});
  auto r = is_affected(dpkg_scheme(), "1.0-", a);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, Errc::invalid_argument);
  EXPECT_NE(r.error().message.find("'1.0-'"), std::string::npos) << r.error().message;
}

TEST(OsvRange, UnparsableEventVersionIsAnError) {
  for (Kind k : {Kind::introduced, Kind::fixed, Kind::last_affected, Kind::limit}) {
    std::vector<RangeEvent> events = {{Kind::introduced, "0"}, {k, "2:"}};
    auto r = is_affected(dpkg_scheme(), "1.0", affected({range(events)}));
    ASSERT_FALSE(r.has_value()) << static_cast<int>(k);
    EXPECT_EQ(r.error().code, Errc::invalid_argument);
    EXPECT_NE(r.error().message.find("'2:'"), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("openssl"), std::string::npos) << r.error().message;
  }
  // Even when the listed version alone would decide: a broken record is reported, not half-read.
  auto listed = affected({range({{Kind::introduced, "1:"}})}, {"1.0"});
  EXPECT_ERRC(is_affected(dpkg_scheme(), "1.0", listed), Errc::invalid_argument);
}

TEST(OsvRange, UnparsableListedVersionIsAnError) {
  auto a = affected({}, {"1.0", "-1"});
  auto r = is_affected(dpkg_scheme(), "1.0", a);
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("'-1'"), std::string::npos) << r.error().message;
}

TEST(OsvRange, RangeWithoutIntroducedIsAnError) {
  auto a = affected({range({{Kind::fixed, "1.0"}})});
  EXPECT_ERRC(is_affected(dpkg_scheme(), "0.5", a), Errc::invalid_argument);
}

}  // namespace
}  // namespace patchparty::versions
