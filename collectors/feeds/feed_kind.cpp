#include "collectors/feeds/feed_kind.h"

namespace patchparty::feeds {

namespace {

Registry<FeedReader>& readers() {
  static Registry<FeedReader> registry{"feed kind"};
  return registry;
}

Registry<FeedFactory>& factories() {
  static Registry<FeedFactory> registry{"feed factory"};
  return registry;
}

}  // namespace

void add_feed_kind(FeedKind kind) {
  config::feed_kinds().add(kind.name, config::FeedKind{std::move(kind.check)});
  if (kind.make) factories().add(kind.name, std::move(kind.make));
  readers().add(std::move(kind.name), std::move(kind.read));
}

const FeedFactory* find_feed_factory(std::string_view kind) {
  return factories().find(kind);
}

const FeedReader* find_feed_reader(std::string_view kind) {
  return readers().find(kind);
}

}  // namespace patchparty::feeds
