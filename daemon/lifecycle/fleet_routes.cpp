#include "daemon/lifecycle/fleet_routes.h"

#include <variant>

#include "exporters/backlog/fleet_writers.h"
#include "exporters/http/backlog_negotiation.h"
#include "exporters/http/http_message.h"

namespace patchparty::lifecycle {

namespace {

// The snapshot to answer from, or the answer that says why there is none.
std::variant<std::shared_ptr<const FleetSnapshot>, http::Response> snapshot_of(
    const FleetPoller* poller) {
  if (!poller) return http::json_error(503, "no fleet: the configuration has no fleet section");
  auto s = poller->latest();
  if (!s) return http::json_error(503, "the fleet has not been asked yet");
  if (!s->error.empty()) return http::json_error(503, "fleet: " + s->error);
  return s;
}

}  // namespace

void add_fleet_routes(http::Router& router, const FleetPoller* poller) {
  router.get("/api/v1/fleet/backlog", [poller](const http::Request& request) {
    auto s = snapshot_of(poller);
    if (auto* r = std::get_if<http::Response>(&s)) return *r;
    const auto& snapshot = std::get<std::shared_ptr<const FleetSnapshot>>(s);
    auto format = http::negotiate_backlog_format(request.param("format"), request.header("accept"));
    if (!format)
      return http::json_error(format.error().code == Errc::invalid_argument ? 400 : 406,
                              format.error().message);
    http::Response r;
    r.content_type = std::string(http::backlog_content_type(*format));
    r.body = exporters::render_fleet_backlog(snapshot->backlog, *format);
    r.headers.emplace_back("Vary", "Accept");
    return r;
  });
  router.get("/api/v1/fleet/status", [poller](const http::Request&) {
    auto s = snapshot_of(poller);
    if (auto* r = std::get_if<http::Response>(&s)) return *r;
    const auto& snapshot = std::get<std::shared_ptr<const FleetSnapshot>>(s);
    return http::json_response(exporters::render_fleet_status(snapshot->statuses, snapshot->at,
                                                              exporters::BacklogFormat::json));
  });
}

}  // namespace patchparty::lifecycle
