#include "collectors/health/http_check.h"

#include <yaml-cpp/yaml.h>

#include "core/base/c_handles.h"
#include "core/base/one_line.h"
#include "core/base/yaml_reader.h"

namespace patchparty::health {

namespace {

struct Transfer {
  std::string body;
  std::size_t max = 0;
  bool truncated = false;
  std::stop_token stop;
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t len = size * n;
  const std::size_t room = t->max - t->body.size();
  if (len > room) {
    // Enough to match against; ending the transfer here bounds time and memory.
    t->body.append(data, room);
    t->truncated = true;
    return 0;
  }
  t->body.append(data, len);
  return len;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<Transfer*>(user)->stop.stop_requested() ? 1 : 0;
}

std::string ms_text(std::chrono::microseconds us) {
  return std::to_string(us.count() / 1000) + "ms";
}

}  // namespace

HttpCheck::HttpCheck(const config::HealthCheckConfig& c) : config_(c) {
  if (!c.body_regex.empty()) body_.emplace(c.body_regex, std::regex::ECMAScript);
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
  Curl curl(curl_easy_init());
  if (!curl) {
    p.detail = "cannot create a curl handle";
    return p;
  }
  Transfer t;
  t.max = static_cast<std::size_t>(config_.max_body_bytes);
  t.stop = stop;
  char errbuf[CURL_ERROR_SIZE] = {};
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, config_.url.c_str());
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
  // The status of this URL is the answer: a redirect is not followed.
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  if (!config_.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, config_.ca_file.c_str());
  if (config_.insecure_skip_verify) {
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!config_.client_cert.empty()) {
    curl_easy_setopt(h, CURLOPT_SSLCERT, config_.client_cert.c_str());
    if (!config_.client_key.empty())
      curl_easy_setopt(h, CURLOPT_SSLKEY, config_.client_key.c_str());
  }
  const auto started = std::chrono::steady_clock::now();
  CURLcode rc = curl_easy_perform(h);
  p.latency = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && t.truncated)) {
    p.detail = one_line(std::string("GET ") + config_.url + ": " +
                        (errbuf[0] ? errbuf : curl_easy_strerror(rc)));
    return p;
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
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
  if (body_ && !std::regex_search(t.body, *body_)) {
    p.detail = one_line(head + ": body does not match /" + config_.body_regex + "/" +
                        (t.truncated ? " (in the first " + std::to_string(t.max) + " bytes)" : ""));
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
  return CheckKind{.name = "http",
                   .check = check_section,
                   .make = [](const config::HealthCheckConfig& c) -> std::unique_ptr<HealthCheck> {
                     return std::make_unique<HttpCheck>(c);
                   }};
}

}  // namespace patchparty::health
