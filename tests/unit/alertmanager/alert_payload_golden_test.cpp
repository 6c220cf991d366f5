// The alerts the backlog's sample host pages with, as POSTed to Alertmanager (pretty-printed
// for review), compared with tests/unit/alertmanager/golden/alerts.json. After an intended
// change, rewrite it and review the diff:
//   PP_UPDATE_GOLDEN=1 ./alert_payload_golden_test
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "exporters/alertmanager/alert_payload.h"
#include "exporters/alertmanager/alert_rules.h"
#include "tests/support/golden.h"
#include "tests/unit/backlog/sample_findings.h"

namespace patchparty::exporters {
namespace {

std::string pretty(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.c_str(), json.size());
  EXPECT_FALSE(d.HasParseError());
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buffer);
  w.SetIndent(' ', 2);
  d.Accept(w);
  return std::string(buffer.GetString(), buffer.GetSize()) + "\n";
}

TEST(AlertPayloadGolden, SampleHost) {
  const auto findings = testing::sample_findings();
  const auto alerts = vulnerability_alerts(findings, config::AlertRulesConfig{});
  ASSERT_FALSE(alerts.empty()) << "the sample host should page for something";
  ASSERT_LT(alerts.size(), findings.size()) << "and not for everything";
  const std::string actual = pretty(alerts_json(alerts));

  const auto file =
      std::filesystem::path(PP_SOURCE_DIR) / "tests/unit/alertmanager/golden/alerts.json";
  testing::expect_golden(file, actual);
}

}  // namespace
}  // namespace patchparty::exporters
