#include "daemon/lifecycle/daemon.h"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <utility>

#include "collectors/health/health_json.h"
#include "core/base/log.h"
#include "core/base/unix_time.h"
#include "core/store/state_lock.h"
#include "core/store/store.h"
#include "daemon/lifecycle/api_state.h"
#include "daemon/lifecycle/fleet_routes.h"
#include "daemon/lifecycle/health_holder.h"
#include "daemon/lifecycle/metric_set.h"
#include "daemon/lifecycle/sd_notifier.h"
#include "daemon/lifecycle/settings.h"
#include "daemon/lifecycle/signal_fd.h"
#include "daemon/lifecycle/worker.h"
#include "daemon/patch_watch/watch_engine.h"
#include "daemon/patch_watch/watches_json.h"
#include "daemon/rollback/rollback_runner.h"
#include "daemon/scan/scan_run.h"
#include "exporters/http/api_routes.h"
#include "exporters/http/http_server.h"

namespace patchparty::lifecycle {

namespace {

// The state directory's lock, then the store. The lock comes first: a second daemon on the
// same database would double every job and race the first one's writes.
struct OpenState {
  store::StateLock lock;
  store::Store store;
};

Result<OpenState> open_state(const std::filesystem::path& state_dir) {
  auto lock = store::StateLock::acquire(state_dir, "patchpartyd");
  if (!lock)
    return fail(lock.error().code, "not starting: " + lock.error().message +
                                       (lock.error().code == Errc::failed_precondition
                                            ? "; only one patchpartyd may run per state directory"
                                            : ""));
  auto store = store::Store::open(state_dir);
  if (!store)
    return fail(store.error().code, "cannot open the store in " + state_dir.string() + ": " +
                                        store.error().to_string());
  return OpenState{std::move(*lock), std::move(*store)};
}

// The server is for watching and asking, not the daemon's purpose: a port already taken is
// logged and the daemon runs on without it rather than leaving the host unwatched. TLS files that
// cannot serve are a configuration error like any other: the daemon does not start.
Result<std::unique_ptr<http::HttpServer>> start_server(const config::Config& config,
                                                       http::Router& router) {
  http::HttpServerOptions options;
  options.listen = config.listen;
  if (config.api.tls)
    options.tls =
        http::HttpTlsOptions{config.api.tls->cert_file.string(), config.api.tls->key_file.string(),
                             config.api.tls->client_ca_file.string()};
  auto s = http::HttpServer::start(options, router);
  if (!s && s.error().code == Errc::invalid_argument) return tl::unexpected(s.error());
  if (!s) {
    log::error("http: " + s.error().to_string() + "; running without /metrics and the API");
    return nullptr;
  }
  log::notice(std::string("serving /metrics and the API on ") +
              (config.api.tls ? "https://" : "http://") + config.listen +
              (config.api.tls && !config.api.tls->client_ca_file.empty()
                   ? " (client certificates required)"
                   : ""));
  return std::move(*s);
}

// What a SIGHUP may change while the daemon runs, and what it must compare against.
struct Running {
  const DaemonOptions& options;
  std::filesystem::path state_dir;             // fixed for the process's life
  std::filesystem::path configured_state_dir;  // what the file said, so a reload warns about a
                                               // change the file made, not about systemd's
                                               // $STATE_DIRECTORY differing from it
  config::Config config;
  http::Router& router;
  HealthHolder& health;
  health::HealthMetrics* health_metrics;
  patch_watch::WatchEngine& watch;
  Worker& worker;
};

// SIGHUP: the same settings a start reads; anything a start would refuse keeps the running
// configuration whole.
void reload(Running& r) {
  if (!r.options.config_file) {
    log::notice("SIGHUP: no configuration file, nothing to reload");
    return;
  }
  auto next = load_settings(r.options.config_file, unix_now());
  if (!next) {
    log::error("SIGHUP: keeping the previous one; " + next.error().message);
    return;
  }
  r.router.token().set(std::move(next->api_token));
  r.router.read_token().set(std::move(next->api_read_token));
  r.router.set_protect_metrics(next->config.api.protect_metrics);
  r.router.set_max_body_bytes(next->config.api.max_body_bytes);
  if (next->config.state_dir != r.configured_state_dir && !r.options.state_dir)
    log::warning("SIGHUP: state_dir changes only take effect after a restart");
  r.configured_state_dir = next->config.state_dir;
  if (next->config.listen != r.config.listen)
    log::warning("SIGHUP: listen changes only take effect after a restart");
  if (next->config.api.tls.has_value() != r.config.api.tls.has_value())
    log::warning("SIGHUP: api.tls changes only take effect after a restart");
  next->config.state_dir = r.state_dir;
  log::set_min_level(level_from(next->config.log_level));
  if (next->config.health != r.config.health) {
    // The old checks stop before the new ones probe: same names, same series.
    r.health.replace(nullptr);
    r.health.replace(start_health(next->config.health, r.health_metrics));
  }
  r.watch.set_targets(next->config.targets);
  r.config = next->config;
  r.worker.reload(std::move(next->config), std::move(next->suppressions));
  log::notice("SIGHUP: configuration reloaded from " + r.options.config_file->string());
}

// Until SIGTERM or SIGINT: pings the watchdog while the worker is alive, passes its status to
// systemd, reloads on SIGHUP. False when waiting for signals failed.
bool serve(SignalFd& signals, SdNotifier& notifier, Running& running) {
  auto ping_every = notifier.watchdog_ping_interval();
  auto wait_step = ping_every ? std::chrono::duration_cast<std::chrono::milliseconds>(*ping_every)
                              : std::chrono::milliseconds(1000);
  wait_step = std::clamp(wait_step, std::chrono::milliseconds(10), std::chrono::milliseconds(5000));
  std::string last_status;
  for (;;) {
    auto sig = signals.wait(wait_step);
    if (!sig) {
      log::error("signal wait failed: " + sig.error().to_string());
      return false;
    }
    if (ping_every && running.worker.alive()) notifier.watchdog();
    if (auto s = running.worker.status(); s != last_status) {
      notifier.status(s);
      last_status = s;
    }
    if (!sig->has_value()) continue;
    const int signo = **sig;
    if (signo == SIGHUP) {
      notifier.reloading();
      reload(running);
      notifier.ready("running");
      continue;
    }
    log::notice(std::string("received ") + (signo == SIGTERM ? "SIGTERM" : "SIGINT") +
                ", stopping");
    return true;
  }
}

}  // namespace

int run_daemon(const DaemonOptions& options) {
  // Signals are blocked before any thread exists, so only the signalfd ever sees them.
  auto signals = SignalFd::open();
  if (!signals) {
    log::error("cannot set up signal handling: " + signals.error().to_string());
    return 2;
  }
  ::signal(SIGPIPE, SIG_IGN);
  auto settings = load_settings(options.config_file, unix_now());
  if (!settings) {
    log::error(settings.error().message);
    return 2;
  }
  config::Config& config = settings->config;
  log::set_min_level(level_from(config.log_level));
  const auto state_dir = choose_state_dir(options.state_dir, config);
  const auto configured_state_dir = config.state_dir;
  config.state_dir = state_dir;
  auto state = open_state(state_dir);
  if (!state) {
    log::error(state.error().message);
    return 2;
  }
  log::notice("patchpartyd " PP_VERSION " starting; state in " + state_dir.string() + "; config " +
              (options.config_file ? options.config_file->string() : std::string("built-in")));

  MetricSet metrics = MetricSet::build();
  // Its own threads, so a slow probe never holds up the worker; stopped before metrics go.
  HealthHolder health_checks;
  health_checks.replace(start_health(config.health, metrics.health.get()));
  SdNotifier notifier;
  ApiState api;
  http::Router router;
  http::add_metrics_route(router, metrics.registry);
  http::add_api_routes(router, api);
  router.get("/api/v1/health", [&health_checks](const http::Request&) {
    return http::json_response(health::health_json(health_checks.get().get()));
  });
  router.token().set(settings->api_token);
  router.read_token().set(settings->api_read_token);
  router.set_protect_metrics(config.api.protect_metrics);
  router.set_max_body_bytes(config.api.max_body_bytes);
  Worker worker(config, std::move(settings->suppressions), std::move(state->store), &metrics, &api);
  api.connect_worker([&worker] { return worker.alive(); }, [&worker] { worker.request_scan(); },
                     [&worker](events::PatchEvent e) { return worker.submit_event(std::move(e)); });
  // Declared after the worker that stores its verdicts, so it stops (and interrupts a rollback
  // in flight) first.
  patch_watch::WatchEngine watch_engine(
      config.targets, [&health_checks] { return health_checks.get(); }, rollback::make_rollback,
      metrics.rollbacks.get(), {.host = scan::host_name(config)},
      [&worker] { worker.watch_changed(); });
  worker.set_watch(&watch_engine);
  worker.add_event_listener(
      [&watch_engine](const events::PatchEvent& e) { watch_engine.on_event(e); });
  // The fleet's plan, from the poller's latest round (docs/fleet.md); 503 without `fleet:`.
  std::unique_ptr<FleetPoller> fleet_poller;
  if (config.fleet.enabled()) fleet_poller = std::make_unique<FleetPoller>(config);
  add_fleet_routes(router, fleet_poller.get());
  router.get("/api/v1/watches", [&watch_engine](const http::Request&) {
    return http::json_response(patch_watch::watches_json(watch_engine.watches()));
  });
  // Declared after the worker, so it stops (joining its threads) before the worker it calls
  // goes away.
  auto started = start_server(config, router);
  if (!started) {
    log::error("invalid configuration: " + started.error().message);
    return 2;
  }
  auto server = std::move(*started);
  // Beyond loopback, reads need a token and the token needs TLS: either missing leaves the
  // host's findings readable by whoever reaches (or watches) the port.
  std::string missing;
  if (config.api.read_token_file.empty()) missing = "api.read_token_file";
  if (!config.api.tls) missing += std::string(missing.empty() ? "" : " and ") + "api.tls";
  const bool exposed = server && http::listens_beyond_loopback(config.listen) && !missing.empty();
  if (exposed)
    log::warning("http: " + config.listen + " is reachable beyond this machine without " + missing +
                 ": this host's findings can be read on the network");
  if (metrics.daemon) metrics.daemon->set_api_exposed(exposed);
  watch_engine.start();
  worker.start();
  if (fleet_poller) fleet_poller->start();
  notifier.ready("running");

  Running running{.options = options,
                  .state_dir = state_dir,
                  .configured_state_dir = configured_state_dir,
                  .config = config,
                  .router = router,
                  .health = health_checks,
                  .health_metrics = metrics.health.get(),
                  .watch = watch_engine,
                  .worker = worker};
  serve(*signals, notifier, running);

  notifier.stopping();
  watch_engine.stop();
  health_checks.replace(nullptr);
  if (!worker.stop(running.config.shutdown_timeout)) {
    // The job's open transaction dies with the process and SQLite rolls it back on next open.
    log::warning("the running job did not stop within " +
                 config::format_duration(running.config.shutdown_timeout) + "; exiting anyway");
    std::_Exit(0);
  }
  log::notice("stopped");
  return 0;
}

}  // namespace patchparty::lifecycle
