// Which inventory sources to read on this host, from the configuration: the package databases
// that exist (or are required), and each project's lockfiles.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "collectors/inventory/inventory_source.h"
#include "config/config.h"

namespace patchparty::inventory {

struct PlannedSource {
  std::string kind;                         // "dpkg", "rpm", "apk", "composer", "npm"
  std::string project;                      // empty for the host's package databases
  std::string path;                         // what it reads, for messages
  std::unique_ptr<InventorySource> source;  // null when `error` is set
  std::optional<Error> error;  // the source is required but cannot be read as configured
};

struct InventoryPlan {
  std::string host_ecosystem;  // "Debian:12"; empty when it cannot be told (host_ecosystem.h)
  std::vector<std::string> warnings;
  std::vector<PlannedSource> sources;
};

// Does no reading beyond what names the host's ecosystem and existence checks; scanning is the
// caller's. A host database whose ecosystem cannot be told is planned as an error.
InventoryPlan plan_inventory(const config::Config& config);

// The lockfile kind for a file name: "composer" for composer.lock, "npm" for package-lock.json
// and npm-shrinkwrap.json; nullopt for names patchparty cannot read.
std::optional<std::string> lockfile_kind(std::string_view file_name);

}  // namespace patchparty::inventory
