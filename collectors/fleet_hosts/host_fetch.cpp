#include "collectors/fleet_hosts/host_fetch.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

#include "core/base/http_client.h"

namespace patchparty::fleet {

namespace {

// The API's errors are {"error": "..."}; its text says more than the status alone.
std::string api_error(const std::string& body) {
  rapidjson::Document doc;
  doc.Parse(body.data(), body.size());
  if (doc.HasParseError() || !doc.IsObject()) return {};
  auto it = doc.FindMember("error");
  if (it == doc.MemberEnd() || !it->value.IsString()) return {};
  std::string text(it->value.GetString(), it->value.GetStringLength());
  if (text.size() > 200) text.resize(200);
  return text;
}

}  // namespace

Result<std::string> fleet_get(const std::string& url, const FleetClientOptions& options) {
  HttpRequest request;
  request.url = url;
  request.timeout = options.timeout;
  request.connect_timeout = std::min(options.timeout, std::chrono::milliseconds(5000));
  request.max_body_bytes = options.max_body_bytes;
  request.headers.push_back("Accept: application/json");
  if (!options.token.empty()) {
    request.headers.push_back("Authorization: Bearer " + options.token);
    // A token goes to the host and nowhere else.
    request.proxy = HttpProxy::none;
  }
  request.tls.ca_path = options.ca_file;
  request.tls.client_cert = options.client_cert;
  request.tls.client_key = options.client_key;
  auto response = http_send(request, options.stop);
  if (!response) return tl::unexpected(response.error());
  if (response->status == 200) return std::move(response->body);
  std::string reason = std::to_string(response->status);
  if (std::string detail = api_error(response->body); !detail.empty()) reason += ": " + detail;
  if (response->status == 401 || response->status == 403)
    return fail(Errc::failed_precondition, reason);
  return fail(http_status_error(url, response->status).code, reason);
}

void for_each_host(std::span<const FleetTarget> targets, const FleetClientOptions& options,
                   const std::function<void(std::size_t, const FleetTarget&)>& on_host) {
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < targets.size() && !options.stop.stop_requested(); i = next++)
      on_host(i, targets[i]);
  };
  const std::size_t threads = std::min<std::size_t>(
      targets.size(), static_cast<std::size_t>(std::max(1, options.parallel)));
  std::vector<std::jthread> pool;
  pool.reserve(threads);
  for (std::size_t t = 0; t < threads; ++t) pool.emplace_back(work);
}

}  // namespace patchparty::fleet
