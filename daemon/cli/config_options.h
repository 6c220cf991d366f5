// Where a subcommand's configuration comes from: -c/--config, and --state-dir for the commands
// that read or write the store. One place, so every command offers the same options with the
// same help and resolves them the same way.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "config/config.h"
#include "core/base/result.h"

namespace patchparty::cli {

// Adds -c,--config and --state-dir to `cmd`, bound to `config_file` and `state_dir`.
void add_config_options(CLI::App& cmd, std::string& config_file, std::string& state_dir);

// The configuration file, or the built-in defaults when `config_file` is empty; a non-empty
// `state_dir` (--state-dir) replaces the configured one.
[[nodiscard]] Result<config::Config> load_cli_config(const std::string& config_file,
                                                     const std::string& state_dir = {});

}  // namespace patchparty::cli
