// Requests to NVD's CVE API 2.0 made the way NVD asks clients to make them
// (https://nvd.nist.gov/developers/start-here): one at a time and `interval` apart, the API key
// in the apiKey header, and a throttled or failing answer retried after a pause rather than at
// once. NVD's limits are 5 requests in a rolling 30 s without a key and 50 with one; past them it
// answers 403 for a while, and 503 when it is overloaded.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>

#include "collectors/feeds/fetcher.h"
#include "collectors/feeds/nvd_cve.h"
#include "core/base/result.h"

namespace patchparty::feeds {

struct NvdApiOptions {
  std::string url;      // the API's base, "https://services.nvd.nist.gov/rest/json/cves/2.0"
  std::string api_key;  // empty: none; never logged nor put in a message
  std::chrono::milliseconds interval{std::chrono::seconds(6)};  // from one request to the next
  // Tries of one page, the first included. Without Retry-After the pause before a retry is
  // `backoff`, doubled for each further retry.
  int max_attempts = 5;
  std::chrono::milliseconds backoff{std::chrono::seconds(12)};
  // A Retry-After longer than this ends the refresh at once: the worker thread is not held for
  // it, and the next interval tries again.
  std::chrono::milliseconds max_retry_after{std::chrono::minutes(2)};
  FetchOptions fetch;  // connect and total timeout (per request), body cap, CA bundle
};

class NvdApi {
 public:
  explicit NvdApi(NvdApiOptions options) : options_(std::move(options)) {}

  // The page `query` (the part after '?') names, parsed with parse_nvd_page. 403, 429, 5xx and
  // transport failures (unavailable, deadline_exceeded) are retried up to max_attempts; then
  // unavailable, naming the last answer. Other statuses: http_status_error's reading. A stop
  // ends a pause or a transfer within about a second: unavailable, "cancelled".
  [[nodiscard]] Result<NvdPage> page(std::string_view query, std::stop_token stop);

  std::uint64_t bytes() const { return bytes_; }  // body bytes received, every attempt
  int requests() const { return requests_; }      // every attempt

 private:
  [[nodiscard]] Result<> pause_until(std::chrono::steady_clock::time_point when,
                                     std::stop_token stop);

  NvdApiOptions options_;
  std::optional<std::chrono::steady_clock::time_point> last_request_;
  std::uint64_t bytes_ = 0;
  int requests_ = 0;
};

}  // namespace patchparty::feeds
