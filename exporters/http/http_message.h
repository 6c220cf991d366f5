// A request and a response as the API's handlers see them: plain values, so routing, auth and
// the endpoints are written (and read) without civetweb's C structures.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/result.h"

namespace patchparty::http {

struct Request {
  std::string method;                                        // "GET", "POST", ...
  std::string path;                                          // decoded, without the query
  std::vector<std::pair<std::string, std::string>> query;    // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::optional<std::int64_t> content_length;                // none: not stated (chunked)
  std::string body;      // filled by the router for POST routes, after the limit and auth checks
  std::int64_t now = 0;  // unix seconds when the request arrived: what "now" means for it

  // The first value of a header (`name` lower-case); nullopt when absent.
  std::optional<std::string_view> header(std::string_view name) const;
  // The first value of a query parameter; nullopt when absent.
  std::optional<std::string_view> param(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // beyond type and length
};

// {"error": message} with `status`: every failure of the API has this shape.
Response json_error(int status, std::string_view message);
// A body of JSON with status 200 (or `status`).
Response json_response(std::string body, int status = 200);

// A flag parameter: "true"/"1" or "false"/"0"; invalid_argument naming `name` otherwise.
[[nodiscard]] Result<bool> parse_bool_param(std::string_view name, std::string_view value);

// "a%20b+c" -> "a b c" (application/x-www-form-urlencoded); nullopt on a bad escape.
std::optional<std::string> url_decode(std::string_view text);
// "a=1&b=x%20y" -> {{"a","1"},{"b","x y"}}; nullopt when an escape is bad.
std::optional<std::vector<std::pair<std::string, std::string>>> parse_query(std::string_view q);

}  // namespace patchparty::http
