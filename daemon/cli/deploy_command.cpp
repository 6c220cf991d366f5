// patchparty deploy: tells the running daemon that an application was deployed, through
// POST /api/v1/deploys with the API's bearer token. The daemon stores it as a patch event.
#include <chrono>
#include <iostream>

#include "config/config.h"
#include "core/base/http_client.h"
#include "core/events/patch_event.h"
#include "daemon/cli/commands.h"
#include "daemon/cli/config_options.h"
#include "daemon/cli/exit_codes.h"
#include "exporters/http/bearer_token.h"

namespace patchparty::cli {

namespace {

constexpr std::size_t kMaxResponseBytes = 64 << 10;
constexpr std::chrono::seconds kTimeout{30};  // the daemon waits up to 10 s for its worker

struct DeployArgs {
  std::string config_file, target, version, previous, note;
};

// The daemon's own address: a wildcard listen address is reached on loopback.
std::string deploys_url(const std::string& listen) {
  const auto colon = listen.rfind(':');
  std::string host = listen.substr(0, colon);
  const std::string port = listen.substr(colon + 1);
  if (host.empty() || host == "0.0.0.0") host = "127.0.0.1";
  if (host == "[::]") host = "[::1]";
  return "http://" + host + ":" + port + "/api/v1/deploys";
}

Result<HttpResponse> post(const std::string& url, const std::string& token,
                          const std::string& body) {
  HttpRequest request;
  request.method = HttpMethod::post;
  request.url = url;
  request.headers = {"Content-Type: application/json", "Authorization: Bearer " + token};
  request.body = body;
  request.protocols = HttpProtocols::http_only;
  request.timeout = kTimeout;
  request.max_body_bytes = kMaxResponseBytes;
  request.proxy = HttpProxy::none;  // the daemon is local; a proxy must not see the token
  return http_send(request);
}

int run(const DeployArgs& args) {
  auto fail_with = [](const std::string& message) {
    std::cerr << "patchparty deploy: " << message << "\n";
    return kExitError;
  };
  // Checked here as the daemon will, so a typo fails before the network is touched.
  if (auto ok = events::validate_deploy_target(args.target); !ok)
    return fail_with("--" + ok.error().message);
  const std::string body = events::deploy_request_json(args.target, args.version, args.previous,
                                                       args.note, events::Origin::cli);
  if (auto e = events::deploy_event_from_json(body, 1); !e) return fail_with(e.error().message);
  auto c = load_cli_config(args.config_file);
  if (!c) return fail_with(c.error().message);
  if (c->api.token_file.empty())
    return fail_with("api.token_file is not set, so the daemon accepts no deploys");
  auto token = http::read_token_file(c->api.token_file);
  if (!token) return fail_with(token.error().message);
  auto reply = post(deploys_url(c->listen), *token, body);
  if (!reply) return fail_with(reply.error().message);
  if (reply->status == 201) {
    std::cout << reply->body;
    return kExitOk;
  }
  if (reply->status == 202) {
    std::cerr << "patchparty deploy: the daemon is busy; the event is queued and will be "
                 "stored when its current job ends\n";
    return kExitOk;
  }
  return fail_with("the daemon answered HTTP " + std::to_string(reply->status) + ": " +
                   reply->body.substr(0, 512));
}

}  // namespace

void add_deploy_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<DeployArgs>();
  auto* cmd = app.add_subcommand(
      "deploy", "record an application deploy as a patch event in the running daemon");
  cmd->add_option("--target", args->target,
                  "what was deployed: [A-Za-z0-9._@:-], as the "
                  "health watch names it")
      ->required();
  cmd->add_option("--version", args->version, "the version now deployed")->required();
  cmd->add_option("--previous", args->previous, "the version it replaced");
  cmd->add_option("--note", args->note, "free text: deploy tool, commit");
  cmd->add_option("-c,--config", args->config_file,
                  "configuration file: listen and api.token_file (default: built-in)");
  cmd->callback([args, &exit_code] { exit_code = run(*args); });
}

}  // namespace patchparty::cli
