#include "core/base/http_client.h"

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <random>

#include "core/base/c_handles.h"
#include "core/base/log.h"

namespace patchparty {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' '))
    s.remove_suffix(1);
  return std::string(s);
}

bool iequals_prefix(std::string_view line, std::string_view name) {
  if (line.size() < name.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
  }
  return true;
}

// State shared with libcurl's callbacks during one attempt.
struct Attempt {
  const HttpRequest* request = nullptr;
  HttpSink* sink = nullptr;
  const HttpProgress* progress = nullptr;
  std::stop_token stop;
  HttpResponse response;
  bool over_cap = false;
  std::optional<Error> sink_error;
};

// Hands `len` bytes to the sink or the body; false when the sink refused them.
bool deliver(Attempt& a, const char* data, std::size_t len) {
  if (a.sink) {
    if (auto ok = a.sink->write(std::string_view(data, len)); !ok) {
      a.sink_error = std::move(ok).error();
      return false;
    }
  } else {
    a.response.body.append(data, len);
  }
  a.response.bytes += len;
  return true;
}

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* a = static_cast<Attempt*>(user);
  const std::size_t len = size * n;
  const std::uint64_t room = a->request->max_body_bytes - a->response.bytes;
  if (len > room) {
    if (a->request->over_cap == HttpOverCap::truncate) {
      // Enough for the caller; ending the transfer here bounds time and memory.
      if (deliver(*a, data, static_cast<std::size_t>(room))) a->response.truncated = true;
    } else {
      a->over_cap = true;
    }
    return 0;  // ends the transfer with CURLE_WRITE_ERROR
  }
  return deliver(*a, data, len) ? len : 0;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* a = static_cast<Attempt*>(user);
  std::string_view line(data, size * n);
  // A redirect's (or a 100 Continue's) headers come before the final response's.
  if (line.starts_with("HTTP/")) {
    a->response.etag.clear();
    a->response.last_modified.clear();
    a->response.retry_after.reset();
  } else if (iequals_prefix(line, "etag:")) {
    a->response.etag = trim(line.substr(5));
  } else if (iequals_prefix(line, "last-modified:")) {
    a->response.last_modified = trim(line.substr(14));
  } else if (iequals_prefix(line, "retry-after:")) {
    std::string v = trim(line.substr(12));
    if (!v.empty() && v.size() < 6 && std::all_of(v.begin(), v.end(), ::isdigit))
      a->response.retry_after = milliseconds(std::stol(v) * 1000);
  }
  return size * n;
}

// libcurl calls this about once a second even while nothing arrives, which bounds how long a
// stop request waits.
int on_progress(void* user, curl_off_t total, curl_off_t done, curl_off_t, curl_off_t) {
  auto* a = static_cast<Attempt*>(user);
  if (a->stop.stop_requested()) return 1;  // CURLE_ABORTED_BY_CALLBACK
  if (a->progress && *a->progress)
    (*a->progress)(static_cast<std::uint64_t>(done), static_cast<std::uint64_t>(total));
  return 0;
}

// The one reading of libcurl's failures.
Error transfer_error(CURLcode rc, Attempt& a, std::string_view url, const char* detail) {
  std::string where = std::string(url) + ": ";
  std::string what = detail && *detail ? detail : curl_easy_strerror(rc);
  switch (rc) {
    case CURLE_WRITE_ERROR:
      if (a.over_cap)
        return Error{Errc::resource_exhausted, where + "body larger than the limit of " +
                                                   std::to_string(a.request->max_body_bytes) +
                                                   " bytes"};
      if (a.sink_error) return std::move(*a.sink_error);
      return Error{Errc::internal, where + what};
    case CURLE_ABORTED_BY_CALLBACK:
      return Error{Errc::unavailable, where + "cancelled"};
    case CURLE_OPERATION_TIMEDOUT:
      return Error{Errc::deadline_exceeded, where + what};
    case CURLE_PARTIAL_FILE:
      return Error{Errc::data_loss, where + "truncated body: " + what};
    case CURLE_BAD_CONTENT_ENCODING:
      return Error{Errc::data_loss, where + what};
    case CURLE_TOO_MANY_REDIRECTS:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_URL_MALFORMAT:
      return Error{Errc::failed_precondition, where + what};
    default:
      return Error{Errc::unavailable, where + what};
  }
}

bool retryable(CURLcode rc) {
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

// Collects the first failing option, so a libcurl that lacks one (an old protocol list option)
// fails the request instead of silently sending it without the restriction.
class Options {
 public:
  explicit Options(CURL* h) : h_(h) {}
  template <class T>
  void set(CURLoption option, T value) {
    const CURLcode rc = curl_easy_setopt(h_, option, value);
    if (rc != CURLE_OK && first_error_ == CURLE_OK) first_error_ = rc;
  }
  CURLcode first_error() const { return first_error_; }

 private:
  CURL* h_;
  CURLcode first_error_ = CURLE_OK;
};

struct Outcome {
  CURLcode rc = CURLE_OK;
  Result<HttpResponse> result;
};

Outcome perform_once(const HttpRequest& req, Attempt& a, std::optional<milliseconds> remaining) {
  Curl curl(curl_easy_init());
  if (!curl) return {CURLE_FAILED_INIT, fail(Errc::internal, req.url + ": curl_easy_init failed")};
  CurlHeaders headers;
  for (const auto& h : req.headers) {
    curl_slist* next = curl_slist_append(headers.get(), h.c_str());
    if (!next)
      return {CURLE_OUT_OF_MEMORY, fail(Errc::internal, req.url + ": curl_slist_append failed")};
    (void)headers.release();  // curl_slist_append returns the (same) list head
    headers.reset(next);
  }
  char errbuf[CURL_ERROR_SIZE] = {0};
  CURL* h = curl.get();
  Options o(h);
  o.set(CURLOPT_URL, req.url.c_str());
  o.set(CURLOPT_ERRORBUFFER, errbuf);
  o.set(CURLOPT_NOSIGNAL, 1L);
  const char* protocols = req.protocols == HttpProtocols::http_only ? "http" : "http,https";
  o.set(CURLOPT_PROTOCOLS_STR, protocols);
  // Redirects may not leave the allowed schemes: no file:// or others from a remote server.
  o.set(CURLOPT_REDIR_PROTOCOLS_STR, protocols);
  if (req.max_redirects > 0) {
    o.set(CURLOPT_FOLLOWLOCATION, 1L);
    o.set(CURLOPT_MAXREDIRS, static_cast<long>(req.max_redirects));
  } else {
    o.set(CURLOPT_FOLLOWLOCATION, 0L);
  }
  if (req.connect_timeout.count() > 0)
    o.set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(req.connect_timeout.count()));
  if (remaining)
    o.set(CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<long long>(1, remaining->count())));
  if (req.decode_content) o.set(CURLOPT_ACCEPT_ENCODING, "");  // every encoding libcurl decodes
  o.set(CURLOPT_USERAGENT, req.user_agent.c_str());
  if (headers) o.set(CURLOPT_HTTPHEADER, headers.get());
  if (req.method == HttpMethod::post) {
    o.set(CURLOPT_POST, 1L);
    o.set(CURLOPT_POSTFIELDS, req.body.data());
    o.set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
  }
  o.set(CURLOPT_SSL_VERIFYPEER, req.tls.verify ? 1L : 0L);
  o.set(CURLOPT_SSL_VERIFYHOST, req.tls.verify ? 2L : 0L);
  if (!req.tls.ca_path.empty()) {
    std::error_code ec;
    if (std::filesystem::is_directory(req.tls.ca_path, ec)) {
      o.set(CURLOPT_CAPATH, req.tls.ca_path.c_str());
    } else {
      o.set(CURLOPT_CAINFO, req.tls.ca_path.c_str());
    }
  }
  if (!req.tls.client_cert.empty()) o.set(CURLOPT_SSLCERT, req.tls.client_cert.c_str());
  if (!req.tls.client_key.empty()) o.set(CURLOPT_SSLKEY, req.tls.client_key.c_str());
  if (req.proxy == HttpProxy::none) o.set(CURLOPT_NOPROXY, "*");
  o.set(CURLOPT_WRITEFUNCTION, on_body);
  o.set(CURLOPT_WRITEDATA, &a);
  o.set(CURLOPT_HEADERFUNCTION, on_header);
  o.set(CURLOPT_HEADERDATA, &a);
  o.set(CURLOPT_NOPROGRESS, 0L);
  o.set(CURLOPT_XFERINFOFUNCTION, on_progress);
  o.set(CURLOPT_XFERINFODATA, &a);
  if (o.first_error() != CURLE_OK)
    return {o.first_error(), fail(Errc::internal, req.url + ": libcurl refused an option: " +
                                                      curl_easy_strerror(o.first_error()))};

  CURLcode rc = curl_easy_perform(h);
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &a.response.status);
  if (rc == CURLE_WRITE_ERROR && a.response.truncated) rc = CURLE_OK;  // cut on purpose
  if (rc != CURLE_OK) return {rc, tl::make_unexpected(transfer_error(rc, a, req.url, errbuf))};
  return {rc, std::move(a.response)};
}

}  // namespace

Result<HttpResponse> http_send(const HttpRequest& req, std::stop_token stop, HttpSink* sink,
                               const HttpProgress& progress) {
  const bool has_deadline = req.timeout.count() > 0;
  const Clock::time_point deadline = Clock::now() + req.timeout;
  const int max_attempts = std::max(1, req.retry.max_attempts);
  const auto cancelled = [&] { return fail(Errc::unavailable, req.url + ": cancelled"); };
  std::mt19937_64 rng(std::random_device{}());
  std::string last_error = req.url + ": no attempt made";
  for (int attempt = 1;; ++attempt) {
    if (stop.stop_requested()) return cancelled();
    std::optional<milliseconds> remaining;
    if (has_deadline) {
      remaining = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
      if (*remaining <= milliseconds(0))
        return fail(Errc::deadline_exceeded, req.url + ": total timeout of " +
                                                 std::to_string(req.timeout.count()) +
                                                 " ms spent; last error: " + last_error);
    }
    if (sink) PP_CHECK(sink->restart());
    Attempt a;
    a.request = &req;
    a.sink = sink;
    a.progress = &progress;
    a.stop = stop;
    Outcome out = perform_once(req, a, remaining);

    bool retry = false;
    std::optional<milliseconds> retry_after;
    if (!out.result) {
      retry = retryable(out.rc) && !stop.stop_requested();
      last_error = out.result.error().message;
    } else {
      retry = out.result->status == 429 || out.result->status >= 500;
      retry_after = out.result->retry_after;
      last_error = http_status_error(req.url, out.result->status).message;
    }
    if (!retry || attempt >= max_attempts) {
      if (out.result) out.result->attempts = attempt;
      return std::move(out.result);
    }

    // Exponential backoff with full jitter, or the server's Retry-After when it fits.
    const auto cap = req.retry.backoff * (1LL << std::min(attempt - 1, 10));
    std::uniform_int_distribution<long long> pick(cap.count() / 2, cap.count());
    milliseconds wait(pick(rng));
    if (req.retry.honour_retry_after && retry_after &&
        (!has_deadline || *retry_after < deadline - Clock::now()))
      wait = *retry_after;
    log::info(req.url + ": attempt " + std::to_string(attempt) + " failed (" + last_error +
              "); retrying in " + std::to_string(wait.count()) + " ms");
    std::mutex mu;
    std::condition_variable_any cv;
    std::unique_lock lock(mu);
    cv.wait_for(lock, stop, wait, [] { return false; });
  }
}

Error http_status_error(std::string_view url, long status) {
  std::string what = std::string(url) + ": HTTP " + std::to_string(status);
  if (status == 404 || status == 410) return Error{Errc::not_found, std::move(what)};
  if (status == 429 || status >= 500) return Error{Errc::unavailable, std::move(what)};
  return Error{Errc::failed_precondition, std::move(what)};
}

std::string url_escape(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

}  // namespace patchparty
