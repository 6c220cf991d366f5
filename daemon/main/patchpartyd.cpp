// patchpartyd: the resident daemon.
#include <CLI/CLI.hpp>

#include <curl/curl.h>

#include <iostream>
#include <string>

#include "collectors/feeds/builtin_feeds.h"
#include "collectors/health/builtin_checks.h"
#include "collectors/inventory/builtin_sources.h"
#include "daemon/lifecycle/daemon.h"

int main(int argc, char** argv) {
  CLI::App app{"patchpartyd: keeps this host's patch state known, ranked, exported and guarded"};
  std::string config_file, state_dir;
  bool version = false;
  app.add_option("-c,--config", config_file, "YAML configuration file (default: built-in)");
  app.add_option("--state-dir", state_dir, "state directory (default: config state_dir)");
  app.add_flag("--version", version, "print the version and exit");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (version) {
    std::cout << "patchpartyd " PP_VERSION "\n";
    return 0;
  }
  // Once, before any thread: libcurl's global state is not thread-safe to set up.
  curl_global_init(CURL_GLOBAL_DEFAULT);
  // Before any config is loaded: config/ knows the kinds only from these lists.
  patchparty::feeds::register_builtin_feeds();
  patchparty::health::register_builtin_checks();
  patchparty::inventory::register_builtin_sources();
  patchparty::lifecycle::DaemonOptions options;
  if (!config_file.empty()) options.config_file = config_file;
  if (!state_dir.empty()) options.state_dir = state_dir;
  int rc = patchparty::lifecycle::run_daemon(options);
  curl_global_cleanup();
  return rc;
}
