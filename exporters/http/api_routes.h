// patchpartyd's endpoints on a Router: /metrics, /healthz, /readyz and /api/v1/... (see
// docs/http-api.md). Payloads are versioned by their `schema` field and the /api/v1 prefix.
#pragma once

#include <prometheus/registry.h>

#include <memory>

#include "exporters/http/api_backend.h"
#include "exporters/http/router.h"

namespace patchparty::http {

inline constexpr const char* kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

// /metrics serves `registry` (held weakly: the daemon owns it); 503 when it is gone or null.
void add_metrics_route(Router& router, std::weak_ptr<prometheus::Registry> registry);

// Everything else; `backend` must outlive the router.
void add_api_routes(Router& router, ApiBackend& backend);

}  // namespace patchparty::http
