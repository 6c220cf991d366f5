#include "core/correlate/module_streams.h"

#include <gtest/gtest.h>

namespace patchparty::correlate {
namespace {

Advisory advisory(std::string summary, std::string fixed) {
  Advisory a;
  a.id = "ALSA-2024:3128";
  a.summary = std::move(summary);
  Affected af;
  af.ecosystem = "AlmaLinux:8";
  af.name = "perl";
  af.ranges.push_back(
      Range{Range::Type::ecosystem,
            {{RangeEvent::Kind::introduced, "0"}, {RangeEvent::Kind::fixed, std::move(fixed)}}});
  a.affected.push_back(std::move(af));
  return a;
}

Package perl(std::string version, std::string stream) {
  Package p;
  p.ecosystem = "AlmaLinux:8";
  p.name = "perl";
  p.version = std::move(version);
  p.module_stream = std::move(stream);
  return p;
}

TEST(ModuleStreams, TheStreamsAnAdvisorysSummaryNames) {
  // As Red Hat, AlmaLinux and Rocky Linux write them (../shared/data/osv/distros).
  EXPECT_EQ(advisory_module_streams("Moderate: perl:5.32 security update"),
            (std::vector<std::string>{"perl:5.32"}));
  EXPECT_EQ(advisory_module_streams("Red Hat Security Advisory: python39:3.9 security update"),
            (std::vector<std::string>{"python39:3.9"}));
  EXPECT_EQ(advisory_module_streams("Moderate: ruby:3.3 security, bug fix, and enhancement update"),
            (std::vector<std::string>{"ruby:3.3"}));
  EXPECT_EQ(advisory_module_streams(
                "Important: container-tools:4.0 and container-tools:rhel8 security update"),
            (std::vector<std::string>{"container-tools:4.0", "container-tools:rhel8"}));
  EXPECT_TRUE(advisory_module_streams("Important: openssl security update").empty());
  EXPECT_TRUE(advisory_module_streams("see https://access.redhat.com/x a:b:c").empty());
}

TEST(ModuleStreams, AModuleBuildAndADefaultBuildAreNeverCompared) {
  const Advisory a =
      advisory("Moderate: perl:5.32 security update", "4:5.32.1-473.module_el8.10.0+3779+d5938d28");
  auto why = stream_mismatch(perl("4:5.26.3-422.el8", ""), "4:5.26.3-422.el8", a, a.affected[0]);
  ASSERT_TRUE(why);
  EXPECT_NE(why->find("different streams, not compared"), std::string::npos) << *why;
}

TEST(ModuleStreams, TwoModuleBuildsCompareOnlyInTheSameStream) {
  const Advisory a =
      advisory("Moderate: perl:5.32 security update", "4:5.32.1-473.module_el8.10.0+3779+d5938d28");
  const std::string v526 = "4:5.26.3-419.module_el8.6.0+2766+8bf0b7ce";
  auto other = stream_mismatch(perl(v526, "perl:5.26"), v526, a, a.affected[0]);
  ASSERT_TRUE(other);
  EXPECT_EQ(*other,
            "the advisory is for perl:5.32 and perl:5.26 is installed: different streams, not "
            "compared");
  const std::string v532 = "4:5.32.1-471.module_el8.6.0+2766+8bf0b7ce";
  EXPECT_FALSE(stream_mismatch(perl(v532, "perl:5.32"), v532, a, a.affected[0]));
  // Either side silent on its stream: compared, as rpm orders them.
  EXPECT_FALSE(stream_mismatch(perl(v526, ""), v526, a, a.affected[0]));
  const Advisory silent =
      advisory("Moderate: perl security update", "4:5.32.1-473.module_el8.10.0+3779+d5938d28");
  EXPECT_FALSE(stream_mismatch(perl(v526, "perl:5.26"), v526, silent, silent.affected[0]));
  // A stream of another module in the summary says nothing about perl's.
  const Advisory other_module = advisory("Moderate: perl:5.32 and ruby:3.1 security update",
                                         "4:5.32.1-473.module_el8.10.0+3779+d5938d28");
  EXPECT_TRUE(
      stream_mismatch(perl(v526, "perl:5.26"), v526, other_module, other_module.affected[0]));
}

}  // namespace
}  // namespace patchparty::correlate
