// Paths to handlers, and the rules every route shares: 404 for an unknown path, 405 with Allow
// for a known path and another method, 413 for a body over the limit (decided from
// Content-Length, before a byte of it is read), the bearer token on every POST, and the read
// token (api.read_token_file) on every GET of /api/v1/ and, with protect_metrics, of the rest.
//
// Adding a POST route is one line: router.post("/api/v1/deploys", handler); the handler sees
// only requests that passed the limit and the token, with the body read.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "core/base/result.h"
#include "exporters/http/bearer_token.h"
#include "exporters/http/http_message.h"

namespace patchparty::http {

using Handler = std::function<Response(const Request&)>;
// Reads the body, at most `limit` bytes: resource_exhausted when it is longer, unavailable when
// the client went away.
using BodyReader = std::function<Result<std::string>(std::int64_t limit)>;

inline constexpr std::int64_t kDefaultMaxBodyBytes = 1 << 20;

class Router {
 public:
  // GET routes answer HEAD too (the body left off by the server).
  void get(std::string path, Handler handler);
  void post(std::string path, Handler handler);

  // Thread-safe: the daemon replaces both on SIGHUP while requests run.
  void set_max_body_bytes(std::int64_t bytes) { max_body_bytes_ = bytes; }
  std::int64_t max_body_bytes() const { return max_body_bytes_; }
  BearerToken& token() { return token_; }
  // Either token opens a GET: whoever may write may read.
  BearerToken& read_token() { return read_token_; }
  void set_protect_metrics(bool on) { protect_metrics_ = on; }

  // Never throws: a handler that does is a 500 with a JSON body.
  Response dispatch(Request& request, const BodyReader& read_body) const;

  // "GET, HEAD" or "POST" for a known path; empty for an unknown one.
  std::string allowed(std::string_view path) const;

 private:
  std::map<std::string, std::map<std::string, Handler>, std::less<>> routes_;
  std::atomic<std::int64_t> max_body_bytes_{kDefaultMaxBodyBytes};
  BearerToken token_;
  BearerToken read_token_;
  std::atomic<bool> protect_metrics_{false};
};

}  // namespace patchparty::http
