#include "collectors/fleet_hosts/fleet_targets.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <set>

#include "core/base/pattern.h"

namespace patchparty::fleet {

namespace {

bool valid_authority(std::string_view a) {
  if (a.empty()) return false;
  for (char c : a) {
    const auto u = static_cast<unsigned char>(c);
    // Userinfo ('@') would send our token's request somewhere the label does not say.
    if (u <= 0x20 || u == 0x7f || c == '/' || c == '?' || c == '#' || c == '@' || c == '\\')
      return false;
  }
  return true;
}

Result<FleetTarget> target_at(std::string_view scheme, std::string_view authority,
                              std::string_view instance) {
  if (scheme != "http" && scheme != "https")
    return fail(Errc::invalid_argument,
                "scheme '" + std::string(scheme) + "' is not http or https");
  if (!valid_authority(authority))
    return fail(Errc::invalid_argument, "'" + std::string(authority) + "' is not HOST:PORT");
  return FleetTarget{std::string(instance.empty() ? authority : instance),
                     std::string(scheme) + "://" + std::string(authority)};
}

const rapidjson::Value* member(const rapidjson::Value& o, const char* key) {
  if (!o.IsObject()) return nullptr;
  auto it = o.FindMember(key);
  return it == o.MemberEnd() ? nullptr : &it->value;
}

std::string string_member(const rapidjson::Value& o, const char* key) {
  const rapidjson::Value* v = member(o, key);
  return v && v->IsString() ? std::string(v->GetString(), v->GetStringLength()) : std::string();
}

}  // namespace

Result<FleetTarget> target_from_url(std::string_view url) {
  const auto sep = url.find("://");
  if (sep == std::string_view::npos)
    return fail(Errc::invalid_argument, "'" + std::string(url) + "' is not an http(s) URL");
  std::string_view rest = url.substr(sep + 3);
  if (rest.ends_with('/')) rest.remove_suffix(1);
  auto t = target_at(url.substr(0, sep), rest, {});
  if (!t) return fail(Errc::invalid_argument, std::string(url) + ": " + t.error().message);
  return t;
}

Result<std::vector<FleetTarget>> parse_prometheus_targets(std::string_view json,
                                                          std::string_view job) {
  auto job_re = Pattern::compile(job);
  if (!job_re)
    return fail(Errc::invalid_argument,
                "job regex '" + std::string(job) + "': " + job_re.error().message);
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject() || string_member(doc, "status") != "success")
    return fail(Errc::data_loss, "not an answer of Prometheus' /api/v1/targets");
  const rapidjson::Value* data = member(doc, "data");
  const rapidjson::Value* active = data ? member(*data, "activeTargets") : nullptr;
  if (!active || !active->IsArray())
    return fail(Errc::data_loss, "Prometheus' answer has no data.activeTargets list");
  std::vector<FleetTarget> out;
  for (const auto& t : active->GetArray()) {
    const rapidjson::Value* labels = member(t, "labels");
    if (!labels) continue;
    const std::string job_name = string_member(*labels, "job");
    if (!job_re->full_match(job_name)) continue;
    // The scrape URL is where Prometheus reaches the target after relabelling.
    const std::string scrape = string_member(t, "scrapeUrl");
    const auto sep = scrape.find("://");
    if (sep == std::string::npos) continue;
    const auto path = scrape.find('/', sep + 3);
    auto target = target_at(std::string_view(scrape).substr(0, sep),
                            std::string_view(scrape).substr(sep + 3, path - (sep + 3)),
                            string_member(*labels, "instance"));
    if (target) out.push_back(std::move(*target));
  }
  return distinct_targets(std::move(out));
}

Result<std::vector<FleetTarget>> parse_file_sd(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsArray())
    return fail(Errc::invalid_argument, "not a file_sd JSON list of target groups");
  std::vector<FleetTarget> out;
  std::size_t group = 0;
  for (const auto& g : doc.GetArray()) {
    ++group;
    const std::string where = "group " + std::to_string(group);
    const rapidjson::Value* targets = member(g, "targets");
    if (!targets || !targets->IsArray())
      return fail(Errc::invalid_argument, where + ": no \"targets\" list");
    std::string scheme = "http";
    if (const rapidjson::Value* labels = member(g, "labels")) {
      if (!labels->IsObject())
        return fail(Errc::invalid_argument, where + ": \"labels\" is not an object");
      if (auto s = string_member(*labels, "__scheme__"); !s.empty()) scheme = s;
    }
    for (const auto& t : targets->GetArray()) {
      if (!t.IsString()) return fail(Errc::invalid_argument, where + ": a target is not a string");
      auto target = target_at(scheme, t.GetString(), {});
      if (!target) return fail(Errc::invalid_argument, where + ": " + target.error().message);
      out.push_back(std::move(*target));
    }
  }
  return distinct_targets(std::move(out));
}

std::vector<FleetTarget> distinct_targets(std::vector<FleetTarget> targets) {
  std::sort(targets.begin(), targets.end(), [](const FleetTarget& a, const FleetTarget& b) {
    return std::tie(a.instance, a.url) < std::tie(b.instance, b.url);
  });
  std::set<std::string> seen;
  std::vector<FleetTarget> out;
  for (auto& t : targets)
    if (seen.insert(t.url).second) out.push_back(std::move(t));
  return out;
}

}  // namespace patchparty::fleet
