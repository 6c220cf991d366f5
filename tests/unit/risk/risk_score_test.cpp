#include "core/risk/risk_score.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace patchparty::risk {
namespace {

// The worst-case context, where our score equals Grype's.
Inputs worst_case(Inputs in) {
  in.exposure = Exposure::internet;
  in.criticality = Criticality::high;
  in.fix_available = true;
  return in;
}

Inputs scored(std::optional<double> epss, std::optional<double> cvss, SeverityLevel s) {
  Inputs in;
  in.epss = epss;
  in.cvss = cvss;
  in.severity = s;
  return in;
}

// ---- threat ----

TEST(RiskThreat, IsTheEpssProbability) {
  EXPECT_DOUBLE_EQ(compute(scored(0.42, 5.0, SeverityLevel::medium)).threat, 0.42);
}

TEST(RiskThreat, KevOverridesEpss) {
  Inputs in = scored(0.0001, 5.0, SeverityLevel::medium);
  in.kev = true;
  EXPECT_DOUBLE_EQ(compute(in).threat, 1.0);
  EXPECT_GT(compute(in).score, compute(scored(0.99, 5.0, SeverityLevel::medium)).score);
}

TEST(RiskThreat, MissingEpssUsesTheMedianPrior) {
  Factors f = compute(scored(std::nullopt, 9.8, SeverityLevel::critical));
  EXPECT_DOUBLE_EQ(f.threat, kUnknownEpss);
  // An unscored critical still outranks an unscored low.
  EXPECT_GT(f.score, compute(scored(std::nullopt, 2.0, SeverityLevel::low)).score);
}

TEST(RiskThreat, OutOfRangeEpssIsClampedAndNanIsAbsent) {
  EXPECT_DOUBLE_EQ(compute(scored(1.7, 5.0, SeverityLevel::medium)).threat, 1.0);
  EXPECT_DOUBLE_EQ(compute(scored(-0.3, 5.0, SeverityLevel::medium)).threat, 0.0);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_DOUBLE_EQ(compute(scored(nan, 5.0, SeverityLevel::medium)).threat, kUnknownEpss);
}

TEST(RiskThreat, RansomwareImpliesKev) {
  Inputs in = scored(0.01, 5.0, SeverityLevel::medium);
  in.kev_ransomware = true;  // kev left false: CISA only records ransomware use for KEV entries
  Factors f = compute(in);
  EXPECT_DOUBLE_EQ(f.threat, 1.0);
  EXPECT_DOUBLE_EQ(f.kev_modifier, 1.1);
}

// ---- impact ----

TEST(RiskImpact, WithoutCvssComesFromTheLabel) {
  EXPECT_DOUBLE_EQ(compute(scored(0.1, std::nullopt, SeverityLevel::low)).impact, 0.30);
  EXPECT_DOUBLE_EQ(compute(scored(0.1, std::nullopt, SeverityLevel::medium)).impact, 0.50);
  EXPECT_DOUBLE_EQ(compute(scored(0.1, std::nullopt, SeverityLevel::high)).impact, 0.75);
  EXPECT_DOUBLE_EQ(compute(scored(0.1, std::nullopt, SeverityLevel::critical)).impact, 0.90);
}

TEST(RiskImpact, UnknownLabelCountsAsMedium) {
  EXPECT_DOUBLE_EQ(compute(scored(0.1, std::nullopt, SeverityLevel::unknown)).impact, 0.50);
}

TEST(RiskImpact, CvssIsAveragedWithTheLabel) {
  // (9.0 + 9.8) / 2 / 10 = 0.94, as Grype averages the string severity with the base score.
  EXPECT_DOUBLE_EQ(compute(scored(0.1, 9.8, SeverityLevel::critical)).impact, 0.94);
  // A present base score of 0 is a score, not "none": (5.0 + 0) / 2 / 10.
  EXPECT_DOUBLE_EQ(compute(scored(0.1, 0.0, SeverityLevel::medium)).impact, 0.25);
}

TEST(RiskImpact, OutOfRangeCvssIsClamped) {
  EXPECT_DOUBLE_EQ(compute(scored(0.1, 14.0, SeverityLevel::critical)).impact, 0.95);
  EXPECT_DOUBLE_EQ(compute(scored(0.1, -1.0, SeverityLevel::low)).impact, 0.15);
}

// ---- KEV modifier ----

TEST(RiskKevModifier, IsGrypes) {
  Inputs in = scored(0.5, 5.0, SeverityLevel::medium);
  EXPECT_DOUBLE_EQ(compute(in).kev_modifier, 1.0);
  in.kev = true;
  EXPECT_DOUBLE_EQ(compute(in).kev_modifier, 1.05);
  in.kev_ransomware = true;
  EXPECT_DOUBLE_EQ(compute(in).kev_modifier, 1.1);
}

TEST(RiskKevModifier, RansomwareRanksAboveOtherKevEntries) {
  Inputs kev = scored(std::nullopt, 5.0, SeverityLevel::medium);
  kev.kev = true;
  Inputs ransomware = kev;
  ransomware.kev_ransomware = true;
  // 1 x 0.5 x 1.05 = 52.5 against 1 x 0.5 x 1.1 = 55.
  EXPECT_DOUBLE_EQ(compute(worst_case(kev)).grype, 52.5);
  EXPECT_DOUBLE_EQ(compute(worst_case(ransomware)).grype, 55.0);
}

TEST(RiskKevModifier, GrypeCapsAtOneHundred) {
  Inputs in = scored(std::nullopt, 10.0, SeverityLevel::critical);
  in.kev = in.kev_ransomware = true;
  // 1 x 0.95 x 1.1 = 1.045, capped at 1.
  EXPECT_DOUBLE_EQ(compute(in).grype, 100.0);
}

// ---- exposure ----

TEST(RiskExposure, InternetAboveInternalAboveIsolated) {
  Inputs in = worst_case(scored(0.3, 7.5, SeverityLevel::high));
  in.exposure = Exposure::internet;
  const Factors internet = compute(in);
  in.exposure = Exposure::internal;
  const Factors internal = compute(in);
  in.exposure = Exposure::isolated;
  const Factors isolated = compute(in);
  EXPECT_DOUBLE_EQ(internet.exposure, 1.0);
  EXPECT_DOUBLE_EQ(internal.exposure, 0.75);
  EXPECT_DOUBLE_EQ(isolated.exposure, 0.5);
  EXPECT_GT(internet.score, internal.score);
  EXPECT_GT(internal.score, isolated.score);
}

TEST(RiskExposure, StillOrdersFindingsThatGrypeCaps) {
  Inputs in = worst_case(scored(std::nullopt, 10.0, SeverityLevel::critical));
  in.kev = in.kev_ransomware = true;
  const double internet = compute(in).score;
  in.exposure = Exposure::internal;
  EXPECT_DOUBLE_EQ(internet, 100.0);
  EXPECT_DOUBLE_EQ(compute(in).score, 75.0);
}

// ---- criticality ----

TEST(RiskCriticality, HighAboveMediumAboveLow) {
  Inputs in = worst_case(scored(0.3, 7.5, SeverityLevel::high));
  in.criticality = Criticality::high;
  const Factors high = compute(in);
  in.criticality = Criticality::medium;
  const Factors medium = compute(in);
  in.criticality = Criticality::low;
  const Factors low = compute(in);
  EXPECT_DOUBLE_EQ(high.criticality, 1.0);
  EXPECT_DOUBLE_EQ(medium.criticality, 0.8);
  EXPECT_DOUBLE_EQ(low.criticality, 0.6);
  EXPECT_GT(high.score, medium.score);
  EXPECT_GT(medium.score, low.score);
}

// ---- fix availability ----

TEST(RiskFix, UnfixedRanksSlightlyBelowFixed) {
  Inputs in = worst_case(scored(0.3, 7.5, SeverityLevel::high));
  const Factors fixed = compute(in);
  in.fix_available = false;
  const Factors unfixed = compute(in);
  EXPECT_DOUBLE_EQ(fixed.fix, 1.0);
  EXPECT_DOUBLE_EQ(unfixed.fix, 0.9);
  EXPECT_DOUBLE_EQ(unfixed.score, fixed.score * 0.9);
}

TEST(RiskFix, UnfixedKevStaysAboveFixedNonKev) {
  Inputs kev = worst_case(scored(std::nullopt, 7.5, SeverityLevel::high));
  kev.kev = true;
  kev.fix_available = false;
  // 1 x 0.75 x 1.05 x 0.9 = 70.9 against 0.5 x 0.94 = 47.
  Inputs likely = worst_case(scored(0.5, 9.8, SeverityLevel::critical));
  EXPECT_GT(compute(kev).score, compute(likely).score);
}

// ---- whole score ----

// Every combination over a grid, including out-of-range inputs, stays within [0, 100]; raising
// any one factor never lowers the score.
TEST(RiskScore, BoundedAndMonotonicInEveryFactor) {
  const std::vector<std::optional<double>> epss = {std::nullopt, -1.0, 0.0, 0.001,
                                                   0.2,          0.9,  1.0, 3.0};
  const std::vector<std::optional<double>> cvss = {std::nullopt, -2.0, 0.0,  4.3,
                                                   7.5,          9.8,  10.0, 50.0};
  const std::vector<SeverityLevel> labels = {SeverityLevel::low, SeverityLevel::medium,
                                             SeverityLevel::high, SeverityLevel::critical};
  const std::vector<Exposure> exposures = {Exposure::isolated, Exposure::internal,
                                           Exposure::internet};
  const std::vector<Criticality> crits = {Criticality::low, Criticality::medium, Criticality::high};
  int checked = 0;
  for (std::size_t e = 0; e < epss.size(); ++e)
    for (std::size_t c = 0; c < cvss.size(); ++c)
      for (std::size_t l = 0; l < labels.size(); ++l)
        for (std::size_t x = 0; x < exposures.size(); ++x)
          for (std::size_t k = 0; k < crits.size(); ++k)
            for (int kev = 0; kev < 3; ++kev)
              for (int fix = 0; fix < 2; ++fix) {
                Inputs in;
                in.epss = epss[e];
                in.cvss = cvss[c];
                in.severity = labels[l];
                in.exposure = exposures[x];
                in.criticality = crits[k];
                in.kev = kev >= 1;
                in.kev_ransomware = kev == 2;
                in.fix_available = fix == 1;
                const double s = compute(in).score;
                ASSERT_GE(s, 0.0);
                ASSERT_LE(s, 100.0);
                auto not_lower = [&](Inputs up) { EXPECT_GE(compute(up).score, s); };
                // epss and cvss are listed in increasing order after the absent value.
                if (e >= 1 && e + 1 < epss.size()) {
                  Inputs up = in;
                  up.epss = epss[e + 1];
                  not_lower(up);
                }
                if (c >= 1 && c + 1 < cvss.size()) {
                  Inputs up = in;
                  up.cvss = cvss[c + 1];
                  not_lower(up);
                }
                if (l + 1 < labels.size()) {
                  Inputs up = in;
                  up.severity = labels[l + 1];
                  not_lower(up);
                }
                if (x + 1 < exposures.size()) {
                  Inputs up = in;
                  up.exposure = exposures[x + 1];
                  not_lower(up);
                }
                if (k + 1 < crits.size()) {
                  Inputs up = in;
                  up.criticality = crits[k + 1];
                  not_lower(up);
                }
                if (kev < 2) {
                  Inputs up = in;
                  up.kev = true;
                  up.kev_ransomware = kev == 1;
                  not_lower(up);
                }
                if (fix == 0) {
                  Inputs up = in;
                  up.fix_available = true;
                  not_lower(up);
                }
                ++checked;
              }
  EXPECT_EQ(checked, 8 * 8 * 4 * 3 * 3 * 3 * 2);
}

TEST(RiskScore, WorstCaseContextEqualsGrype) {
  Inputs in = worst_case(scored(0.37, 8.1, SeverityLevel::high));
  const Factors f = compute(in);
  EXPECT_DOUBLE_EQ(f.score, f.grype);
}

// Worked examples, computed by hand from the README table.
TEST(RiskScore, WorkedExamples) {
  {
    // Known-exploited with ransomware use, CVSS 10, critical, internet-facing, high criticality:
    // threat 1, impact (0.9 + 1.0) / 2 = 0.95, modifier 1.1 -> 1.045, capped -> grype 100;
    // context 1 x 1 x 1 -> 100.
    Inputs in = worst_case(scored(0.97, 10.0, SeverityLevel::critical));
    in.kev = in.kev_ransomware = true;
    EXPECT_DOUBLE_EQ(compute(in).score, 100.0);
    // The same on an internal, medium host: 100 x 0.75 x 0.8 = 60.
    in.exposure = Exposure::internal;
    in.criticality = Criticality::medium;
    EXPECT_DOUBLE_EQ(compute(in).score, 60.0);
  }
  {
    // EPSS 0.2, CVSS 7.5, high: impact (0.75 + 0.75) / 2 = 0.75; grype 0.2 x 0.75 x 100 = 15;
    // internal, medium, fixed: 15 x 0.75 x 0.8 x 1 = 9.
    Inputs in = scored(0.2, 7.5, SeverityLevel::high);
    const Factors f = compute(in);
    EXPECT_DOUBLE_EQ(f.grype, 15.0);
    EXPECT_NEAR(f.score, 9.0, 1e-9);
  }
  {
    // EPSS 0.5, no CVSS, medium: impact 0.5; grype 25; isolated, low, no fix:
    // 25 x 0.5 x 0.6 x 0.9 = 6.75.
    Inputs in = scored(0.5, std::nullopt, SeverityLevel::medium);
    in.exposure = Exposure::isolated;
    in.criticality = Criticality::low;
    in.fix_available = false;
    EXPECT_NEAR(compute(in).score, 6.75, 1e-9);
  }
  {
    // KEV without ransomware, CVSS 5.0, medium: impact 0.5; grype 1 x 0.5 x 1.05 x 100 = 52.5;
    // internet, high, fixed -> 52.5.
    Inputs in = worst_case(scored(std::nullopt, 5.0, SeverityLevel::medium));
    in.kev = true;
    EXPECT_NEAR(compute(in).score, 52.5, 1e-9);
  }
  {
    // Nothing known: threat 0.01, impact 0.5 -> grype 0.5; internal, medium, fixed -> 0.3.
    Inputs in = scored(std::nullopt, std::nullopt, SeverityLevel::unknown);
    EXPECT_NEAR(compute(in).score, 0.3, 1e-9);
  }
}

// ---- from a finding and the config ----

TEST(RiskInputs, TakeTheFindingsFacts) {
  Finding f;
  f.cvss = 9.1;
  f.severity = SeverityLevel::critical;
  f.epss = 0.12;
  f.kev = true;
  f.kev_ransomware = false;
  f.fixed_version = "";
  Inputs in = inputs_for(f, Context{"isolated", "low"});
  EXPECT_EQ(in.cvss, 9.1);
  EXPECT_EQ(in.severity, SeverityLevel::critical);
  EXPECT_EQ(in.epss, 0.12);
  EXPECT_TRUE(in.kev);
  EXPECT_FALSE(in.kev_ransomware);
  EXPECT_EQ(in.exposure, Exposure::isolated);
  EXPECT_EQ(in.criticality, Criticality::low);
  EXPECT_FALSE(in.fix_available);
  f.fixed_version = "3.0.13-1~deb12u1";
  EXPECT_TRUE(inputs_for(f, Context{"internal", "medium"}).fix_available);
}

TEST(RiskInputs, UnknownContextValuesCountAsTheWorstCase) {
  Inputs in = inputs_for(Finding{}, Context{"dmz", ""});
  EXPECT_EQ(in.exposure, Exposure::internet);
  EXPECT_EQ(in.criticality, Criticality::high);
}

TEST(RiskContext, ParsesTheConfigVocabulary) {
  EXPECT_EQ(parse_exposure("internet"), Exposure::internet);
  EXPECT_EQ(parse_exposure("internal"), Exposure::internal);
  EXPECT_EQ(parse_exposure("isolated"), Exposure::isolated);
  EXPECT_EQ(parse_exposure("Internet"), std::nullopt);
  EXPECT_EQ(parse_criticality("high"), Criticality::high);
  EXPECT_EQ(parse_criticality("medium"), Criticality::medium);
  EXPECT_EQ(parse_criticality("low"), Criticality::low);
  EXPECT_EQ(parse_criticality(""), std::nullopt);
}

}  // namespace
}  // namespace patchparty::risk
