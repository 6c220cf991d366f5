#include "core/record/cvss.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <filesystem>

#include "tests/support/subprocess.h"
#include "tests/support/test_data.h"

namespace patchparty::feeds {
namespace {

struct Case {
  const char* vector;
  double score;
};

// Scores as the FIRST calculators and NVD publish them for these vectors.
TEST(Cvss, Version3Examples) {
  const Case cases[] = {
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1},
      {"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8},
      {"CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0},
      {"CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0},
      {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5},
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:L/A:N", 5.3},
      // Temporal metrics after the base ones do not change the base score.
      {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C", 9.8},
  };
  for (const auto& c : cases) {
    auto s = cvss_base_score(c.vector);
    ASSERT_OK(s);
    EXPECT_DOUBLE_EQ(*s, c.score) << c.vector;
  }
}

TEST(Cvss, Version2Examples) {
  const Case cases[] = {
      {"AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5}, {"AV:N/AC:M/Au:N/C:N/I:P/A:N", 4.3},
      {"AV:L/AC:L/Au:N/C:C/I:C/A:C", 7.2}, {"(AV:N/AC:L/Au:N/C:C/I:C/A:C)", 10.0},
      {"AV:N/AC:L/Au:S/C:N/I:N/A:N", 0.0},
  };
  for (const auto& c : cases) {
    auto s = cvss_base_score(c.vector);
    ASSERT_OK(s);
    EXPECT_DOUBLE_EQ(*s, c.score) << c.vector;
  }
}

TEST(Cvss, MalformedVectorsAreErrors) {
  EXPECT_ERRC(cvss_base_score("CVSS:3.1/AV:N/AC:L"), Errc::invalid_argument);
  EXPECT_ERRC(cvss_base_score("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
              Errc::invalid_argument);
  EXPECT_ERRC(cvss_base_score("CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
              Errc::invalid_argument);
  EXPECT_ERRC(cvss_base_score("HIGH"), Errc::invalid_argument);
  EXPECT_ERRC(cvss_base_score(""), Errc::invalid_argument);
}

// Every GitHub advisory in the shared data that publishes a score beside its vector agrees.
TEST(Cvss, AgreesWithScoresPublishedBesideVectors) {
  int checked = 0;
  for (const auto& e : std::filesystem::directory_iterator(
           patchparty::testing::test_data("osv-schema/examples/ghsa-converter"))) {
    if (e.path().string().ends_with(".osv.json")) continue;
    rapidjson::Document doc;
    doc.Parse(patchparty::testing::Subprocess::slurp(e.path()).c_str());
    ASSERT_FALSE(doc.HasParseError()) << e.path();
    if (!doc.HasMember("cvss") || !doc["cvss"]["vectorString"].IsString()) continue;
    auto s = cvss_base_score(doc["cvss"]["vectorString"].GetString());
    ASSERT_OK(s);
    EXPECT_DOUBLE_EQ(*s, doc["cvss"]["score"].GetDouble()) << e.path();
    ++checked;
  }
  EXPECT_GE(checked, 4);
}

TEST(Cvss, SeverityBands) {
  EXPECT_EQ(cvss_severity(9.8), "critical");
  EXPECT_EQ(cvss_severity(7.0), "high");
  EXPECT_EQ(cvss_severity(6.9), "medium");
  EXPECT_EQ(cvss_severity(0.1), "low");
  EXPECT_EQ(cvss_severity(0.0), "none");
}

}  // namespace
}  // namespace patchparty::feeds
