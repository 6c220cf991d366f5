// patchpartyd's life: load config, open the store, run jobs on a worker thread, talk to
// systemd, reload on SIGHUP and stop cleanly on SIGTERM.
#pragma once

#include <filesystem>
#include <optional>

namespace patchparty::lifecycle {

struct DaemonOptions {
  std::optional<std::filesystem::path> config_file;  // none: built-in defaults
  std::optional<std::filesystem::path> state_dir;    // overrides config and $STATE_DIRECTORY
};

// Exit status for main: 0 after a clean stop, 2 when start-up failed (reason logged).
int run_daemon(const DaemonOptions& options);

}  // namespace patchparty::lifecycle
