// GET /api/v1/fleet/backlog and /api/v1/fleet/status, served from the fleet poller's latest
// round (the backlog in JSON, CSV or Markdown as /api/v1/backlog negotiates).
#pragma once

#include "daemon/lifecycle/fleet_poller.h"
#include "exporters/http/router.h"

namespace patchparty::lifecycle {

// `poller` null (no `fleet:` section): both answer 503 saying so. It must outlive the router.
void add_fleet_routes(http::Router& router, const FleetPoller* poller);

}  // namespace patchparty::lifecycle
