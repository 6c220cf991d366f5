#include "exporters/http/router.h"

#include <exception>

namespace patchparty::http {

namespace {

// RFC 6750: the challenge says whether a token was missing or refused.
Response unauthorized(bool missing) {
  Response r = json_error(401, missing ? "missing bearer token" : "wrong bearer token");
  r.headers.emplace_back("WWW-Authenticate",
                         missing ? "Bearer realm=\"patchparty\""
                                 : "Bearer realm=\"patchparty\", error=\"invalid_token\"");
  return r;
}

}  // namespace

void Router::get(std::string path, Handler handler) {
  routes_[std::move(path)]["GET"] = std::move(handler);
}

void Router::post(std::string path, Handler handler) {
  routes_[std::move(path)]["POST"] = std::move(handler);
}

std::string Router::allowed(std::string_view path) const {
  auto it = routes_.find(path);
  if (it == routes_.end()) return {};
  std::string out;
  for (const auto& [method, handler] : it->second) {
    out += (out.empty() ? "" : ", ") + method;
    if (method == "GET") out += ", HEAD";
  }
  return out;
}

Response Router::dispatch(Request& request, const BodyReader& read_body) const {
  auto it = routes_.find(request.path);
  if (it == routes_.end()) return json_error(404, "no such endpoint: " + request.path);
  const std::string method = request.method == "HEAD" ? "GET" : request.method;
  auto handler = it->second.find(method);
  if (handler == it->second.end()) {
    Response r = json_error(405, request.method + " is not allowed on " + request.path);
    r.headers.emplace_back("Allow", allowed(request.path));
    return r;
  }
  const std::int64_t limit = max_body_bytes_;
  if (request.content_length && *request.content_length > limit)
    return json_error(413, "request body over " + std::to_string(limit) + " bytes");
  if (method == "GET" && read_token_.enabled() &&
      (request.path.starts_with("/api/v1/") || protect_metrics_)) {
    const auto authorization = request.header("authorization");
    const TokenCheck check = read_token_.check(authorization);
    if (check != TokenCheck::ok && token_.check(authorization) != TokenCheck::ok)
      return unauthorized(!authorization);
  }
  if (method == "POST") {
    switch (token_.check(request.header("authorization"))) {
      case TokenCheck::ok:
        break;
      case TokenCheck::disabled:
        return json_error(403, "POST endpoints are disabled: api.token_file is not set");
      case TokenCheck::missing:
      case TokenCheck::wrong:
        return unauthorized(!request.header("authorization"));
    }
    // Without Content-Length (chunked) the limit is enforced while reading.
    if (!request.content_length || *request.content_length > 0) {
      auto body = read_body(limit);
      if (!body && body.error().code == Errc::resource_exhausted)
        return json_error(413, "request body over " + std::to_string(limit) + " bytes");
      if (!body) return json_error(400, "cannot read the request body: " + body.error().message);
      request.body = std::move(*body);
    }
  }
  try {
    return handler->second(request);
  } catch (const std::exception& e) {
    return json_error(500, std::string("internal error: ") + e.what());
  } catch (...) {
    return json_error(500, "internal error");
  }
}

}  // namespace patchparty::http
