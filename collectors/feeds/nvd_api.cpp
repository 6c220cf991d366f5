#include "collectors/feeds/nvd_api.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>

#include "core/base/http_client.h"
#include "core/base/log.h"

namespace patchparty::feeds {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// NVD's answers to a client over its rate limit (403), to too many requests from anywhere (429)
// and when it is overloaded (5xx): each passes with time.
bool throttled(long status) {
  return status == 403 || status == 429 || status >= 500;
}

std::string seconds_text(milliseconds d) {
  return std::to_string((d.count() + 999) / 1000) + " s";
}

}  // namespace

Result<> NvdApi::pause_until(Clock::time_point when, std::stop_token stop) {
  if (Clock::now() < when) {
    std::mutex mu;
    std::condition_variable_any cv;
    std::unique_lock lock(mu);
    cv.wait_until(lock, stop, when, [] { return false; });
  }
  if (stop.stop_requested()) return fail(Errc::unavailable, options_.url + ": cancelled");
  return {};
}

Result<NvdPage> NvdApi::page(std::string_view query, std::stop_token stop) {
  HttpRequest request;
  request.url = options_.url + (options_.url.find('?') == std::string::npos ? "?" : "&");
  request.url += query;
  request.protocols = HttpProtocols::http_and_https;
  request.connect_timeout = options_.fetch.connect_timeout;
  request.timeout = options_.fetch.total_timeout;
  request.max_body_bytes = std::min<std::uint64_t>(options_.fetch.max_bytes, kMaxNvdPageBytes);
  request.max_redirects = options_.fetch.max_redirects;
  request.decode_content = true;  // a page is JSON: gzip makes it some ten times smaller
  request.tls.ca_path = options_.fetch.ca_path;
  if (!options_.api_key.empty()) request.headers.push_back("apiKey: " + options_.api_key);
  // Retries are this loop's: http_send's would retry 5xx at once and never a 403.
  request.retry.max_attempts = 1;

  milliseconds backoff = options_.backoff;
  std::string last;  // what the last attempt met, for the error after the last one
  const int attempts = std::max(options_.max_attempts, 1);
  for (int attempt = 1;; ++attempt) {
    if (last_request_) PP_CHECK(pause_until(*last_request_ + options_.interval, stop));
    last_request_ = Clock::now();
    ++requests_;
    auto response = http_send(request, stop);
    if (stop.stop_requested()) return fail(Errc::unavailable, request.url + ": cancelled");
    std::optional<milliseconds> retry_after;
    if (response) {
      bytes_ += response->bytes;
      if (response->status == 200) return parse_nvd_page(response->body, request.url);
      if (!throttled(response->status))
        return tl::make_unexpected(http_status_error(request.url, response->status));
      last = "HTTP " + std::to_string(response->status);
      retry_after = response->retry_after;
    } else if (response.error().retryable()) {
      last = response.error().message;
    } else {
      return tl::make_unexpected(std::move(response).error());
    }
    if (attempt >= attempts)
      return fail(Errc::unavailable, request.url + ": " + last + " after " +
                                         std::to_string(attempts) +
                                         " attempts (NVD's rate limit: an api_key_file or a "
                                         "longer request_interval helps)");
    if (retry_after && *retry_after > options_.max_retry_after)
      return fail(Errc::unavailable, request.url + ": " + last + ", and Retry-After asks for " +
                                         seconds_text(*retry_after) +
                                         "; trying again at the next interval");
    const milliseconds wait = retry_after ? *retry_after : backoff;
    if (!retry_after) backoff *= 2;
    log::info(request.url + ": attempt " + std::to_string(attempt) + " met " + last +
              "; retrying in " + std::to_string(wait.count()) + " ms");
    PP_CHECK(pause_until(Clock::now() + wait, stop));
    // The pause just taken counts as the spacing the next request needs.
    last_request_ = Clock::now() - options_.interval;
  }
}

}  // namespace patchparty::feeds
