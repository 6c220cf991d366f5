#include "collectors/health/http_check.h"

#include <yaml-cpp/yaml.h>

#include "core/base/http_client.h"
#include "core/base/one_line.h"
#include "core/base/yaml_reader.h"

namespace patchparty::health {

namespace {

std::string ms_text(std::chrono::microseconds us) {
  return std::to_string(us.count() / 1000) + "ms";
}

}  // namespace

HttpCheck::HttpCheck(const config::HealthCheckConfig& c) : config_(c) {
  if (!c.body_regex.empty()) body_.emplace(c.body_regex);
}

bool HttpCheck::status_expected(long status) const {
  if (config_.expected_status.empty()) return status == 200;
  for (const auto& r : config_.expected_status) {
    if (status >= r.first && status <= r.last) return true;
  }
  return false;
}

Probe HttpCheck::probe(std::stop_token stop) {
  Probe p;
  p.at = WallClock::now();
  HttpRequest request;
  request.url = config_.url;
  request.timeout = config_.timeout;
  // Enough to match against; ending the transfer there bounds time and memory.
  request.max_body_bytes = static_cast<std::uint64_t>(config_.max_body_bytes);
  request.over_cap = HttpOverCap::truncate;
  request.max_redirects = 0;  // the status of this URL is the answer: a redirect is not followed
  request.tls.ca_path = config_.ca_file.string();
  request.tls.verify = !config_.insecure_skip_verify;
  if (!config_.client_cert.empty()) {
    request.tls.client_cert = config_.client_cert.string();
    request.tls.client_key = config_.client_key.string();
  }
  request.user_agent = "patchparty-health/" PP_VERSION;
  const auto started = std::chrono::steady_clock::now();
  auto response = http_send(request, stop);
  p.latency = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  if (!response) {
    p.detail = one_line("GET " + response.error().message);  // "GET URL: what went wrong"
    return p;
  }
  const long status = response->status;
  p.value = static_cast<double>(status);
  std::string head =
      "GET " + config_.url + ": " + std::to_string(status) + " in " + ms_text(p.latency);
  if (!status_expected(status)) {
    p.detail = one_line(head + ": unexpected status");
    return p;
  }
  if (config_.max_latency.count() > 0 && p.latency > config_.max_latency) {
    p.detail =
        one_line(head + ": slower than " + std::to_string(config_.max_latency.count()) + "ms");
    return p;
  }
  if (body_ && !body_->search(response->body)) {
    p.detail =
        one_line(head + ": body does not match /" + config_.body_regex + "/" +
                 (response->truncated
                      ? " (in the first " + std::to_string(config_.max_body_bytes) + " bytes)"
                      : ""));
    return p;
  }
  p.healthy = true;
  p.detail = one_line(head);
  return p;
}

namespace {

void check_section(config::YamlReader& r, const YAML::Node& item, const std::string& p,
                   const config::HealthCheckConfig& c) {
  config::require_key(r, item, p, "url", !c.url.empty(), c.kind);
}

}  // namespace

CheckKind http_check_kind() {
  return CheckKind{.name = "http", .check = check_section, .make = construct_check<HttpCheck>};
}

}  // namespace patchparty::health
