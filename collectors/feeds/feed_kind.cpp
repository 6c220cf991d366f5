#include "collectors/feeds/feed_kind.h"

namespace patchparty::feeds {

namespace {

Registry<FeedReader>& readers() {
  static Registry<FeedReader> registry{"feed kind"};
  return registry;
}

}  // namespace

void add_feed_kind(FeedKind kind) {
  config::feed_kinds().add(kind.name, config::FeedKind{std::move(kind.check)});
  readers().add(std::move(kind.name), std::move(kind.read));
}

const FeedReader* find_feed_reader(std::string_view kind) {
  return readers().find(kind);
}

}  // namespace patchparty::feeds
