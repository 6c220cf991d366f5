// The one list of feed kinds, the factory that builds configured feeds from it, and the feeds it
// uses when the configuration names none.
#pragma once

#include <memory>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "collectors/feeds/feed.h"
#include "config/config.h"

namespace patchparty::feeds {

// Adds every built-in kind (config/kinds.h and make_feed's readers). Called by the executables
// before any config is loaded, and by tests that load one or make feeds; the list is added once
// per process however often it is called.
void register_builtin_feeds();

// invalid_argument for a kind without a reader.
[[nodiscard]] Result<std::unique_ptr<Feed>> make_feed(const config::FeedConfig& config);
[[nodiscard]] Result<std::vector<std::unique_ptr<Feed>>> make_feeds(
    std::span<const config::FeedConfig> configs);

// The public sources for what the inventory found: the distribution's own tracker (Debian,
// Alpine) or OSV's per-ecosystem all.zip, one OSV feed per application ecosystem (plus
// FriendsOfPHP for Composer projects), and KEV and EPSS always. `host_ecosystem` is e.g.
// "Debian:12" or empty; `app_ecosystems` e.g. {"npm", "Packagist"}.
std::vector<config::FeedConfig> default_feeds(std::string_view host_ecosystem,
                                              const std::set<std::string>& app_ecosystems);

}  // namespace patchparty::feeds
