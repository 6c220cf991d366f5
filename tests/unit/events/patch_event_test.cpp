#include "core/events/patch_event.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "tests/support/test_data.h"

namespace patchparty::events {
namespace {

PatchEvent deploy(std::string target, std::string version = "1.2.3") {
  PatchEvent e;
  e.at = 1700000000;
  e.origin = Origin::api;
  e.kind = Kind::deploy;
  e.target = std::move(target);
  e.to_version = std::move(version);
  return e;
}

PatchEvent upgrade() {
  PatchEvent e;
  e.at = 1700000000;
  e.origin = Origin::dpkg_log;
  e.kind = Kind::upgrade;
  e.target = "libssl3";
  e.arch = "amd64";
  e.ecosystem = "Debian:12";
  e.from_version = "3.0.11-1~deb12u2";
  e.to_version = "3.0.13-1~deb12u1";
  return e;
}

TEST(PatchEvent, NamesRoundTrip) {
  for (auto o : {Origin::inventory, Origin::dpkg_log, Origin::api, Origin::cli})
    EXPECT_EQ(parse_origin(origin_name(o)), o);
  for (auto k : {Kind::upgrade, Kind::downgrade, Kind::install, Kind::remove, Kind::deploy})
    EXPECT_EQ(parse_kind(kind_name(k)), k);
  EXPECT_FALSE(parse_origin("ssh"));
  EXPECT_FALSE(parse_kind("reinstall"));
}

TEST(PatchEvent, DeployTargetsAreRestrictedToASafeCharset) {
  for (std::string_view ok : {"shop", "shop-web.service", "api@blue", "eu-1:shop_v2", "a"})
    EXPECT_OK(validate_deploy_target(ok)) << ok;
  for (std::string_view bad : {"", "-rf", "..", ".", "shop web", "shop;rm", "shop$(x)", "a/b",
                               "shop`id`", "x\ny", "caf\xc3\xa9", "a|b", "a&b", "a>b", "'a'"})
    EXPECT_FALSE(validate_deploy_target(bad).has_value()) << bad;
  EXPECT_OK(validate_deploy_target(std::string(128, 'a')));
  EXPECT_FALSE(validate_deploy_target(std::string(129, 'a')).has_value());
}

TEST(PatchEvent, ValidatesEveryField) {
  EXPECT_OK(validate_event(upgrade()));
  EXPECT_OK(validate_event(deploy("shop")));
  auto e = upgrade();
  e.note = "line\nbreak";
  EXPECT_FALSE(validate_event(e).has_value());
  e = upgrade();
  e.to_version = std::string(kMaxVersionBytes + 1, '1');
  EXPECT_FALSE(validate_event(e).has_value());
  e = upgrade();
  e.target = "lib ssl";
  EXPECT_FALSE(validate_event(e).has_value());
  e = upgrade();
  e.from_version.clear();
  EXPECT_FALSE(validate_event(e).has_value()) << "an upgrade needs both versions";
  e = upgrade();
  e.at = 0;
  EXPECT_FALSE(validate_event(e).has_value());
  e = upgrade();
  e.kind = Kind::deploy;
  EXPECT_FALSE(validate_event(e).has_value()) << "deploys come from the API or the CLI only";
  auto d = deploy("shop", "1.0;reboot");
  EXPECT_FALSE(validate_event(d).has_value());
  d = deploy("shop", "");
  EXPECT_FALSE(validate_event(d).has_value());
  d = deploy("shop", "2.0~rc1+build.5");
  d.from_version = "1:1.9";
  EXPECT_OK(validate_event(d));
  d.note = std::string(kMaxNoteBytes + 1, 'n');
  EXPECT_FALSE(validate_event(d).has_value());
}

TEST(PatchEvent, DeployRequestJson) {
  auto e = deploy_event_from_json(
      R"({"target":"shop","version":"2.4.1","previous_version":"2.4.0","note":"argocd abc123"})",
      1700000123);
  ASSERT_TRUE(e.has_value()) << e.error().to_string();
  EXPECT_EQ(e->at, 1700000123);
  EXPECT_EQ(e->origin, Origin::api);
  EXPECT_EQ(e->kind, Kind::deploy);
  EXPECT_EQ(e->target, "shop");
  EXPECT_EQ(e->from_version, "2.4.0");
  EXPECT_EQ(e->to_version, "2.4.1");
  EXPECT_EQ(e->note, "argocd abc123");

  const auto body = deploy_request_json("shop", "3", "2", "", Origin::cli);
  auto cli = deploy_event_from_json(body, 1);
  ASSERT_TRUE(cli.has_value()) << cli.error().to_string();
  EXPECT_EQ(cli->origin, Origin::cli);
  EXPECT_EQ(cli->note, "");

  for (std::string_view bad :
       {"", "[]", "{", R"({"version":"1"})", R"({"target":"shop"})",
        R"({"target":"shop","version":1})", R"({"target":"shop","version":"1","extra":"x"})",
        R"({"target":"sh op","version":"1"})",
        R"({"target":"shop","version":"1","origin":"inventory"})",
        R"({"target":"shop","version":"1","note":"a\u0000b"})"}) {
    auto r = deploy_event_from_json(bad, 1);
    EXPECT_FALSE(r.has_value()) << bad;
    if (!r) {
      EXPECT_EQ(r.error().code, Errc::invalid_argument);
    }
  }
}

TEST(PatchEvent, JsonHasEveryFieldAndRoomForTheVerdict) {
  auto e = upgrade();
  e.id = 7;
  rapidjson::Document doc;
  const auto json = event_to_json(e);
  doc.Parse(json.c_str());
  ASSERT_FALSE(doc.HasParseError()) << json;
  EXPECT_EQ(doc["id"].GetInt64(), 7);
  EXPECT_EQ(doc["at"].GetInt64(), 1700000000);
  EXPECT_STREQ(doc["origin"].GetString(), "dpkg_log");
  EXPECT_STREQ(doc["kind"].GetString(), "upgrade");
  EXPECT_STREQ(doc["target"].GetString(), "libssl3");
  EXPECT_STREQ(doc["arch"].GetString(), "amd64");
  EXPECT_STREQ(doc["from_version"].GetString(), "3.0.11-1~deb12u2");
  EXPECT_STREQ(doc["to_version"].GetString(), "3.0.13-1~deb12u1");
  EXPECT_TRUE(doc["verdict"].IsNull());
  EXPECT_TRUE(doc["rollback"].IsNull());
  rapidjson::Document list;
  const auto all = events_to_json({e, deploy("shop")});
  list.Parse(all.c_str());
  ASSERT_FALSE(list.HasParseError()) << all;
  EXPECT_STREQ(list["schema"].GetString(), "patchparty.events/v1");
  EXPECT_EQ(list["events"].Size(), 2u);
}

}  // namespace
}  // namespace patchparty::events
