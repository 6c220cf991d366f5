#include "exporters/http/api_routes.h"

#include "core/report/json_output.h"
#include "exporters/backlog/backlog_writers.h"
#include "exporters/http/backlog_negotiation.h"
#include "exporters/http/findings_filter.h"
#include "exporters/prometheus/exposition.h"

namespace patchparty::http {

namespace {

// A backend error as an answer: before the first snapshot the daemon is not ready (503);
// anything else is the daemon's fault (500).
Response backend_error(const Error& e) {
  return json_error(e.code == Errc::failed_precondition ? 503 : 500, e.message);
}

Result<bool> flag_param(const Request& request, std::string_view name) {
  auto v = request.param(name);
  return v ? parse_bool_param(name, *v) : Result<bool>(false);
}

Response status_json(int status, std::string_view state, std::optional<std::string> reason) {
  exporters::JsonOut j;
  j.start_object();
  j.field("status", state);
  if (reason) j.field("reason", *reason);
  j.end_object();
  return json_response(j.finish(), status);
}

// How long a deploy request waits for the worker to store its event before answering 202.
constexpr std::chrono::seconds kDeployWait{10};

Response deploy(ApiBackend& backend, const Request& request) {
  if (!request.query.empty()) return json_error(400, "/api/v1/deploys takes no parameters");
  auto event = events::deploy_event_from_json(request.body, request.now);
  if (!event) return json_error(400, event.error().message);
  auto stored = backend.record_deploy(std::move(*event), kDeployWait);
  if (!stored) {
    const auto code = stored.error().code;
    return json_error(code == Errc::unavailable || code == Errc::resource_exhausted ? 503 : 500,
                      stored.error().message);
  }
  // Still queued behind a long job: accepted, not yet stored (so no id yet).
  if (!*stored) return status_json(202, "queued", std::nullopt);
  return json_response(events::event_to_json(**stored) + "\n", 201);
}

Response findings(const ApiBackend& backend, const Request& request) {
  auto filter = parse_findings_filter(request);
  if (!filter) return json_error(400, filter.error().message);
  auto ranked = backend.findings(request.now);
  if (!ranked) return backend_error(ranked.error());
  std::erase_if(ranked->findings, [&](const Finding& f) { return !matches(*filter, f); });
  return json_response(exporters::findings_json(ranked->findings, ranked->info));
}

Response backlog(const ApiBackend& backend, const Request& request) {
  for (const auto& [name, value] : request.query) {
    if (name != "format" && name != "since_last_party")
      return json_error(400, "unknown parameter '" + name + "' (format, since_last_party)");
  }
  auto since = flag_param(request, "since_last_party");
  if (!since) return json_error(400, since.error().message);
  auto format = negotiate_backlog_format(request.param("format"), request.header("accept"));
  if (!format)
    return json_error(format.error().code == Errc::invalid_argument ? 400 : 406,
                      format.error().message);
  auto b = backend.backlog(request.now, *since);
  if (!b) return backend_error(b.error());
  Response r;
  r.body = exporters::render_backlog(*b, *format);
  r.content_type = std::string(backlog_content_type(*format));
  // The same URL answers in three formats: shared caches must key on Accept.
  r.headers.emplace_back("Vary", "Accept");
  return r;
}

}  // namespace

void add_metrics_route(Router& router, std::weak_ptr<prometheus::Registry> registry) {
  router.get("/metrics", [registry = std::move(registry)](const Request&) {
    auto r = registry.lock();
    if (!r) return json_error(503, "metrics are unavailable");
    Response out;
    out.content_type = kMetricsContentType;
    out.body = exporters::serialize_metrics(*r);
    return out;
  });
}

void add_api_routes(Router& router, ApiBackend& backend) {
  router.get("/healthz", [&backend](const Request&) {
    return backend.alive() ? status_json(200, "ok", std::nullopt)
                           : status_json(503, "unhealthy", "the worker loop is not running");
  });
  router.get("/readyz", [&backend](const Request&) {
    auto reason = backend.not_ready();
    return reason ? status_json(503, "not ready", std::move(reason))
                  : status_json(200, "ready", std::nullopt);
  });
  router.get("/api/v1/findings", [&backend](const Request& r) { return findings(backend, r); });
  router.get("/api/v1/backlog", [&backend](const Request& r) { return backlog(backend, r); });
  router.get("/api/v1/feeds", [&backend](const Request& r) {
    if (!r.query.empty()) return json_error(400, "/api/v1/feeds takes no parameters");
    auto json = backend.feeds_json();
    return json ? json_response(std::move(*json)) : backend_error(json.error());
  });
  router.post("/api/v1/deploys", [&backend](const Request& r) { return deploy(backend, r); });
  router.post("/api/v1/scan", [&backend](const Request&) {
    if (!backend.request_scan()) return json_error(503, "the worker is not running");
    return status_json(202, "accepted", std::nullopt);
  });
}

}  // namespace patchparty::http
