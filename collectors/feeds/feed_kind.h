// A feed kind as its own file declares it: the config value, what its section needs beyond the
// generic keys, and the reader that parses what was fetched. One add_feed_kind() call puts the
// first two in config's catalog (config/kinds.h) and the reader where make_feed finds it.
#pragma once

#include <string>
#include <string_view>

#include "collectors/feeds/configured_feed.h"
#include "config/kinds.h"

namespace patchparty::feeds {

// A kind whose refresh is more than one fetch and a parse (paged APIs, incremental syncs) builds
// its own Feed. Null from a factory: the configuration is the plain kind's, use `read`.
using FeedFactory = std::function<std::unique_ptr<Feed>(const config::FeedConfig& config)>;

struct FeedKind {
  std::string name;                                // "osv": the config value
  config::SectionCheck<config::FeedConfig> check;  // empty: the generic keys suffice
  FeedReader read;                                 // with ConfiguredFeed: fetch the url, then this
  FeedFactory make;  // empty: every feed of the kind is a ConfiguredFeed with `read`
};

// A name already registered aborts (core/base/registry.h).
void add_feed_kind(FeedKind kind);

// The reader registered for `kind`, or null.
const FeedReader* find_feed_reader(std::string_view kind);
// The factory registered for `kind`, or null when it has none.
const FeedFactory* find_feed_factory(std::string_view kind);

}  // namespace patchparty::feeds
