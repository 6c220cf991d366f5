#include "collectors/health/prometheus_query_check.h"

#include <rapidjson/document.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>

#include "core/base/c_handles.h"
#include "core/base/one_line.h"
#include "core/base/yaml_reader.h"

namespace patchparty::health {

namespace {

constexpr std::size_t kMaxResponse = 1 << 20;

struct Transfer {
  std::string body;
  bool too_big = false;
  std::stop_token stop;
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  if (t->body.size() + size * n > kMaxResponse) {
    t->too_big = true;
    return 0;
  }
  t->body.append(data, size * n);
  return size * n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<Transfer*>(user)->stop.stop_requested() ? 1 : 0;
}

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
  Curl curl(curl_easy_init());
  if (!curl) {
    p.detail = "cannot create a curl handle";
    return p;
  }
  CURL* h = curl.get();
  std::string url = config_.url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  char* q = curl_easy_escape(h, config_.query.c_str(), static_cast<int>(config_.query.size()));
  if (!q) {
    p.detail = "cannot escape the query";
    return p;
  }
  url += "/api/v1/query?query=" + std::string(q);
  curl_free(q);
  Transfer t;
  t.stop = stop;
  char errbuf[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.timeout.count()));
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(h, CURLOPT_USERAGENT, "patchparty-health/" PP_VERSION);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, &t);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  if (!config_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, config_.ca_file.c_str());
  if (config_.insecure_skip_verify) {
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  const auto started = std::chrono::steady_clock::now();
  CURLcode rc = curl_easy_perform(h);
  p.latency = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  const std::string what = "query '" + config_.query + "'";
  if (rc != CURLE_OK) {
    p.detail = one_line(what + ": " +
                        (t.too_big ? std::string("answer larger than 1MiB")
                                   : std::string(errbuf[0] ? errbuf : curl_easy_strerror(rc))));
    return p;
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  auto value = parse_query_response(t.body);
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
                   .make = [](const config::HealthCheckConfig& c) -> std::unique_ptr<HealthCheck> {
                     return std::make_unique<PrometheusQueryCheck>(c);
                   }};
}

}  // namespace patchparty::health
