#include "collectors/health/prometheus_query_check.h"

#include <rapidjson/document.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>

#include "core/base/http_client.h"
#include "core/base/one_line.h"
#include "core/base/yaml_reader.h"

namespace patchparty::health {

namespace {

constexpr std::size_t kMaxResponse = 1 << 20;

// A sample's value is a string: "1", "NaN", "+Inf".
Result<double> sample_value(const rapidjson::Value& pair) {
  if (!pair.IsArray() || pair.Size() != 2 || !pair[1].IsString())
    return fail(Errc::data_loss, "malformed sample");
  const char* text = pair[1].GetString();
  char* end = nullptr;
  double v = std::strtod(text, &end);
  if (end == text || *end != '\0')
    return fail(Errc::data_loss, std::string("sample value '") + text + "' is not a number");
  return v;
}

}  // namespace

Result<double> parse_query_response(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError() || !doc.IsObject()) return fail(Errc::data_loss, "answer is not JSON");
  auto str = [&](const rapidjson::Value& o, const char* key) -> std::string {
    auto it = o.FindMember(key);
    return it != o.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
  };
  if (str(doc, "status") != "success")
    return fail(Errc::invalid_argument,
                "prometheus: " + str(doc, "errorType") + ": " + str(doc, "error"));
  auto data = doc.FindMember("data");
  if (data == doc.MemberEnd() || !data->value.IsObject())
    return fail(Errc::data_loss, "answer has no data");
  const std::string type = str(data->value, "resultType");
  auto result = data->value.FindMember("result");
  if (result == data->value.MemberEnd()) return fail(Errc::data_loss, "answer has no result");
  if (type == "scalar") return sample_value(result->value);
  if (type == "vector" && result->value.IsArray()) {
    const auto n = result->value.Size();
    if (n != 1)
      return fail(Errc::failed_precondition,
                  "query returned " + std::to_string(n) + " samples; expected exactly one");
    auto v = result->value[0].FindMember("value");
    if (v == result->value[0].MemberEnd()) return fail(Errc::data_loss, "sample has no value");
    return sample_value(v->value);
  }
  return fail(Errc::failed_precondition,
              "query result type '" + type + "' is not a scalar or an instant vector");
}

PrometheusQueryCheck::PrometheusQueryCheck(const config::HealthCheckConfig& c) : config_(c) {}

Probe PrometheusQueryCheck::probe(std::stop_token stop) {
  Probe p;
  p.at = WallClock::now();
  std::string base = config_.url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  HttpRequest request;
  request.url = base + "/api/v1/query?query=" + url_escape(config_.query);
  request.timeout = config_.timeout;
  request.max_body_bytes = kMaxResponse;
  request.tls.ca_path = config_.ca_file.string();
  request.tls.verify = !config_.insecure_skip_verify;
  request.user_agent = "patchparty-health/" PP_VERSION;
  const auto started = std::chrono::steady_clock::now();
  auto response = http_send(request, stop);
  p.latency = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  const std::string what = "query '" + config_.query + "'";
  if (!response) {
    std::string_view reason = response.error().message;
    // The query is named already; its URL would only repeat it, escaped.
    if (reason.starts_with(request.url + ": ")) reason.remove_prefix(request.url.size() + 2);
    p.detail = one_line(what + ": " +
                        (response.error().code == Errc::resource_exhausted
                             ? std::string("answer larger than 1MiB")
                             : std::string(reason)));
    return p;
  }
  const long status = response->status;
  auto value = parse_query_response(response->body);
  if (!value) {
    // Prometheus answers a bad query with 400 and its reason in the JSON; keep the reason.
    p.detail = one_line(what + ": HTTP " + std::to_string(status) + ": " + value.error().message);
    return p;
  }
  p.value = *value;
  char num[64];
  std::snprintf(num, sizeof num, "%g", *value);
  if (config_.threshold) {
    p.healthy = config_.threshold->holds(*value);
    p.detail = one_line(what + " = " + num + (p.healthy ? ", within " : ", not ") +
                        config_.threshold->to_string());
  } else {
    p.healthy = true;
    p.detail = one_line(what + " = " + num);
  }
  return p;
}

namespace {

void check_section(config::YamlReader& r, const YAML::Node& item, const std::string& p,
                   const config::HealthCheckConfig& c) {
  config::require_key(r, item, p, "url", !c.url.empty(), c.kind);
  config::require_key(r, item, p, "query", !c.query.empty(), c.kind);
  if (c.threshold.has_value() == (c.max_ratio > 0))
    r.error(item, config::YamlReader::join(p, "threshold"), "give either threshold or max_ratio");
}

}  // namespace

CheckKind prometheus_query_check_kind() {
  return CheckKind{.name = "prometheus_query",
                   .check = check_section,
                   .make = construct_check<PrometheusQueryCheck>};
}

}  // namespace patchparty::health
