// The one HTTP client of patchparty, over libcurl: feeds download with it, health checks probe
// with it, alerts and deploys are posted with it. A request is a value that says every choice a
// transfer makes (protocols, redirects, TLS, proxy, caps, retries), so no caller sets libcurl up
// on its own, and every transport failure becomes an Error in one place.
//
// libcurl's global state is set up once in main (curl_global_init) before any thread starts.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"

namespace patchparty {

enum class HttpMethod { get, post };

// The schemes a URL and every redirect it takes may use: never file:// or anything else.
enum class HttpProtocols { http_only, http_and_https };

// A proxy from the *_proxy environment variables, or none at all (for a request that carries a
// secret to a local service, which no proxy should see).
enum class HttpProxy { environment, none };

// A body over max_body_bytes: an error (resource_exhausted), or the first max_body_bytes kept and
// the transfer ended there (HttpResponse::truncated), for a caller that only looks at the start.
enum class HttpOverCap { fail, truncate };

struct HttpTls {
  std::string ca_path;  // a CA bundle file or a hashed directory; empty: the system's
  bool verify = true;   // the peer's certificate and host name
  std::string client_cert, client_key;
};

// Retries of a transient failure (a retryable transport error, 429 or 5xx), with exponential
// backoff and full jitter. One attempt unless the caller asks for more.
struct HttpRetry {
  int max_attempts = 1;
  std::chrono::milliseconds backoff{std::chrono::seconds(1)};  // doubled each retry
  bool honour_retry_after = true;  // the server's Retry-After (seconds) when it fits the deadline
};

struct HttpRequest {
  HttpMethod method = HttpMethod::get;
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;                  // sent with POST
  HttpProtocols protocols = HttpProtocols::http_and_https;
  std::chrono::milliseconds connect_timeout{0};  // 0: libcurl's own
  std::chrono::milliseconds timeout{0};          // the whole request, all attempts; 0: none
  std::uint64_t max_body_bytes = 16u << 20;      // after content decoding
  HttpOverCap over_cap = HttpOverCap::fail;
  int max_redirects = 0;        // 0: a redirect is the answer, not followed
  bool decode_content = false;  // ask for and decode every encoding libcurl knows (gzip, ...)
  HttpTls tls;
  HttpProxy proxy = HttpProxy::environment;
  std::string user_agent = "patchparty/" PP_VERSION;
  HttpRetry retry;
};

struct HttpResponse {
  long status = 0;
  std::string body;         // the body, when no sink was given
  std::uint64_t bytes = 0;  // body bytes received, after decoding (written to the sink, if any)
  bool truncated = false;   // HttpOverCap::truncate cut the body
  // The final response's headers (a redirect's own are dropped).
  std::string etag, last_modified;
  std::optional<std::chrono::milliseconds> retry_after;
  int attempts = 0;
};

// Where a body goes instead of HttpResponse::body, such as a temp file.
class HttpSink {
 public:
  virtual ~HttpSink() = default;
  // Before every attempt: a retry starts the body again, so drop what an earlier one wrote.
  [[nodiscard]] virtual Result<void> restart() = 0;
  // Body bytes, after decoding. An error ends the transfer and is the request's error.
  [[nodiscard]] virtual Result<void> write(std::string_view bytes) = 0;
};

// Called during a transfer with body bytes done and expected (0 when unknown).
using HttpProgress = std::function<void(std::uint64_t done, std::uint64_t total)>;

// Sends `request` and returns the final response, whatever its status: what a status means is
// the caller's to say (http_status_error gives the usual reading). Errors, each "URL: what":
// unavailable (connection, DNS, reset, TLS handshake; "URL: cancelled" when `stop` is requested,
// which ends a transfer within about a second and a backoff wait at once), deadline_exceeded
// (timeout), resource_exhausted (body over the cap), data_loss (truncated body, bad encoding),
// failed_precondition (certificate, URL, protocol, too many redirects), or the sink's own error.
[[nodiscard]] Result<HttpResponse> http_send(const HttpRequest& request, std::stop_token stop = {},
                                             HttpSink* sink = nullptr,
                                             const HttpProgress& progress = {});

// The Error for a status that is not the answer wanted: not_found for 404 and 410, unavailable
// for 429 and 5xx (try later), failed_precondition for the rest.
Error http_status_error(std::string_view url, long status);

// `text` percent-encoded for a query string value.
std::string url_escape(std::string_view text);

}  // namespace patchparty
