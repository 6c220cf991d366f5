#include "core/events/patch_event.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>

namespace patchparty::events {

namespace {

constexpr std::array kOrigins{std::pair{Origin::inventory, std::string_view("inventory")},
                              std::pair{Origin::dpkg_log, std::string_view("dpkg_log")},
                              std::pair{Origin::api, std::string_view("api")},
                              std::pair{Origin::cli, std::string_view("cli")}};
constexpr std::array kKinds{std::pair{Kind::upgrade, std::string_view("upgrade")},
                            std::pair{Kind::downgrade, std::string_view("downgrade")},
                            std::pair{Kind::install, std::string_view("install")},
                            std::pair{Kind::remove, std::string_view("remove")},
                            std::pair{Kind::deploy, std::string_view("deploy")}};

bool is_control(unsigned char c) {
  return c < 0x20 || c == 0x7f;
}

Result<> check_text(std::string_view field, std::string_view value, std::size_t max,
                    bool allow_space) {
  if (value.size() > max)
    return fail(Errc::invalid_argument,
                std::string(field) + ": longer than " + std::to_string(max) + " bytes");
  for (unsigned char c : value) {
    if (is_control(c))
      return fail(Errc::invalid_argument, std::string(field) + ": contains a control character");
    if (!allow_space && c == ' ')
      return fail(Errc::invalid_argument, std::string(field) + ": contains a space");
  }
  return {};
}

bool safe_char(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '@' || c == ':' || c == '-';
}

// Deploy versions may also reach an argv (the rollback's {from_version}); '+' and '~' are common
// in versions ("1.2.0+build.5", "2.0~rc1") and harmless there.
Result<> check_deploy_version(std::string_view field, std::string_view v) {
  if (v.size() > kMaxDeployTargetBytes)
    return fail(Errc::invalid_argument, std::string(field) + ": longer than " +
                                            std::to_string(kMaxDeployTargetBytes) + " bytes");
  if (!v.empty() && v.front() == '-')
    return fail(Errc::invalid_argument, std::string(field) + ": must not start with '-'");
  for (unsigned char c : v)
    if (!safe_char(c) && c != '+' && c != '~')
      return fail(Errc::invalid_argument,
                  std::string(field) + ": only letters, digits and . _ @ : - + ~ are allowed");
  return {};
}

void put_string(rapidjson::Writer<rapidjson::StringBuffer>& w, std::string_view key,
                std::string_view value) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void put_nullable(rapidjson::Writer<rapidjson::StringBuffer>& w, std::string_view key,
                  std::string_view value) {
  w.Key(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  if (value.empty())
    w.Null();
  else
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void write_event(rapidjson::Writer<rapidjson::StringBuffer>& w, const PatchEvent& e) {
  w.StartObject();
  w.Key("id");
  w.Int64(e.id);
  w.Key("at");
  w.Int64(e.at);
  put_string(w, "origin", origin_name(e.origin));
  put_string(w, "kind", kind_name(e.kind));
  put_string(w, "target", e.target);
  put_string(w, "arch", e.arch);
  put_string(w, "ecosystem", e.ecosystem);
  put_string(w, "project", e.project);
  put_string(w, "from_version", e.from_version);
  put_string(w, "to_version", e.to_version);
  put_string(w, "note", e.note);
  put_nullable(w, "verdict", e.verdict);
  put_nullable(w, "rollback", e.rollback);
  w.EndObject();
}

}  // namespace

std::string_view origin_name(Origin o) {
  for (const auto& [v, n] : kOrigins)
    if (v == o) return n;
  return "?";
}

std::string_view kind_name(Kind k) {
  for (const auto& [v, n] : kKinds)
    if (v == k) return n;
  return "?";
}

std::optional<Origin> parse_origin(std::string_view name) {
  for (const auto& [v, n] : kOrigins)
    if (n == name) return v;
  return std::nullopt;
}

std::optional<Kind> parse_kind(std::string_view name) {
  for (const auto& [v, n] : kKinds)
    if (n == name) return v;
  return std::nullopt;
}

Result<> validate_deploy_target(std::string_view target) {
  if (target.empty()) return fail(Errc::invalid_argument, "target: empty");
  if (target.size() > kMaxDeployTargetBytes)
    return fail(Errc::invalid_argument,
                "target: longer than " + std::to_string(kMaxDeployTargetBytes) + " bytes");
  if (target.front() == '-') return fail(Errc::invalid_argument, "target: must not start with '-'");
  if (std::all_of(target.begin(), target.end(), [](char c) { return c == '.'; }))
    return fail(Errc::invalid_argument, "target: must not be only dots");
  for (unsigned char c : target)
    if (!safe_char(c))
      return fail(Errc::invalid_argument, "target: only letters, digits and . _ @ : - are allowed");
  return {};
}

Result<> validate_event(const PatchEvent& e) {
  if (e.at <= 0) return fail(Errc::invalid_argument, "at: not a time");
  if (e.target.empty()) return fail(Errc::invalid_argument, "target: empty");
  const bool deploy = e.kind == Kind::deploy;
  const bool from_tool = e.origin == Origin::api || e.origin == Origin::cli;
  if (deploy != from_tool)
    return fail(Errc::invalid_argument, deploy ? "kind deploy comes only from the API or the CLI"
                                               : "the API and the CLI report only deploys");
  if (deploy) {
    PP_CHECK(validate_deploy_target(e.target));
    if (e.to_version.empty()) return fail(Errc::invalid_argument, "version: empty");
    PP_CHECK(check_deploy_version("version", e.to_version));
    PP_CHECK(check_deploy_version("previous_version", e.from_version));
  } else {
    PP_CHECK(check_text("target", e.target, kMaxTargetBytes, false));
    PP_CHECK(check_text("from_version", e.from_version, kMaxVersionBytes, false));
    PP_CHECK(check_text("to_version", e.to_version, kMaxVersionBytes, false));
    if (e.kind == Kind::install && e.to_version.empty())
      return fail(Errc::invalid_argument, "to_version: empty for an install");
    if (e.kind == Kind::remove && e.from_version.empty())
      return fail(Errc::invalid_argument, "from_version: empty for a remove");
    if ((e.kind == Kind::upgrade || e.kind == Kind::downgrade) &&
        (e.from_version.empty() || e.to_version.empty()))
      return fail(Errc::invalid_argument, "an upgrade or downgrade needs both versions");
  }
  PP_CHECK(check_text("arch", e.arch, kMaxShortBytes, false));
  PP_CHECK(check_text("ecosystem", e.ecosystem, kMaxShortBytes, true));
  PP_CHECK(check_text("project", e.project, kMaxShortBytes, false));
  PP_CHECK(check_text("note", e.note, kMaxNoteBytes, true));
  PP_CHECK(check_text("verdict", e.verdict, kMaxShortBytes, true));
  PP_CHECK(check_text("rollback", e.rollback, kMaxNoteBytes, true));
  return {};
}

std::string event_to_json(const PatchEvent& e) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  write_event(w, e);
  return std::string(buf.GetString(), buf.GetSize());
}

std::string events_to_json(const std::vector<PatchEvent>& events) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  put_string(w, "schema", "patchparty.events/v1");
  w.Key("events");
  w.StartArray();
  for (const auto& e : events) write_event(w, e);
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

Result<PatchEvent> deploy_event_from_json(std::string_view body, std::int64_t now) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError())
    return fail(Errc::invalid_argument, std::string("body is not JSON: ") +
                                            rapidjson::GetParseError_En(doc.GetParseError()));
  if (!doc.IsObject()) return fail(Errc::invalid_argument, "body: expected a JSON object");
  PatchEvent e;
  e.at = now;
  e.origin = Origin::api;
  e.kind = Kind::deploy;
  bool has_target = false, has_version = false;
  for (const auto& m : doc.GetObject()) {
    std::string_view key(m.name.GetString(), m.name.GetStringLength());
    if (!m.value.IsString())
      return fail(Errc::invalid_argument, std::string(key) + ": expected a string");
    std::string value(m.value.GetString(), m.value.GetStringLength());
    if (key == "target") {
      e.target = std::move(value);
      has_target = true;
    } else if (key == "version") {
      e.to_version = std::move(value);
      has_version = true;
    } else if (key == "previous_version") {
      e.from_version = std::move(value);
    } else if (key == "note") {
      e.note = std::move(value);
    } else if (key == "origin") {
      auto o = parse_origin(value);
      if (!o || (*o != Origin::api && *o != Origin::cli))
        return fail(Errc::invalid_argument, "origin: expected \"api\" or \"cli\"");
      e.origin = *o;
    } else {
      return fail(Errc::invalid_argument,
                  "unknown member '" + std::string(key.substr(0, 64)) +
                      "' (target, version, previous_version, note, origin)");
    }
  }
  if (!has_target) return fail(Errc::invalid_argument, "target: missing");
  if (!has_version) return fail(Errc::invalid_argument, "version: missing");
  PP_CHECK(validate_event(e));
  return e;
}

std::string deploy_request_json(std::string_view target, std::string_view version,
                                std::string_view previous_version, std::string_view note,
                                Origin origin) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  put_string(w, "target", target);
  put_string(w, "version", version);
  if (!previous_version.empty()) put_string(w, "previous_version", previous_version);
  if (!note.empty()) put_string(w, "note", note);
  put_string(w, "origin", origin_name(origin));
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace patchparty::events
