// What `patchparty scan` reads when told on the command line: "--inventory KIND=PATH" and
// "--feed KIND=PATH_OR_URL", checked before anything is read.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/inventory/inventory_source.h"
#include "config/config.h"
#include "core/base/result.h"

namespace patchparty::cli {

struct InventoryArg {
  std::string kind;     // dpkg, rpm, apk, composer, npm
  std::string project;  // lockfiles: the directory's name; empty for package databases
  std::filesystem::path path;
  std::unique_ptr<inventory::InventorySource> source;
};

// KIND=PATH. A package database PATH is the database file or a root directory (an image or
// chroot, read with its own os-release); a lockfile PATH is the file or its project directory.
// `ecosystem` names host packages ("Debian:12"); empty: from the root's os-release, else this
// host's.
[[nodiscard]] Result<InventoryArg> parse_inventory_arg(std::string_view arg,
                                                       std::string_view ecosystem,
                                                       std::size_t max_file_bytes);

// KIND=PATH_OR_URL as a feed configuration; a path becomes a file:// URL. `index` keeps the
// names of several feeds of one kind apart.
[[nodiscard]] Result<config::FeedConfig> parse_feed_arg(std::string_view arg, std::size_t index);

}  // namespace patchparty::cli
