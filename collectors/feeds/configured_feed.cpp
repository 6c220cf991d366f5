#include "collectors/feeds/configured_feed.h"

namespace patchparty::feeds {

Result<RefreshResult> ConfiguredFeed::refresh(Fetcher& fetcher, const FetchState& previous,
                                              const FeedSinks& sinks, std::stop_token stop) {
  FetchOptions options;
  options.total_timeout = config_.timeout;
  options.max_bytes = static_cast<std::uint64_t>(config_.max_size);
  options.ca_path = config_.ca_path;
  auto fetched = fetcher.fetch(config_.url, config_.name, previous, options, sinks.progress, stop);
  if (!fetched) return tl::make_unexpected(with_context(fetched.error(), "feed " + config_.name));
  RefreshResult result;
  result.attempts = fetched->attempts;
  result.bytes = fetched->bytes;
  if (fetched->not_modified) {
    result.status = Refresh::not_modified;
    result.validators = previous;
    return result;
  }
  auto stats = reader_(*fetched, config_, sinks);
  if (!stats) return tl::make_unexpected(with_context(stats.error(), "feed " + config_.name));
  if (stop.stop_requested()) return fail(Errc::unavailable, "feed " + config_.name + ": cancelled");
  result.validators = fetched->validators;
  result.stats = std::move(*stats);
  return result;
}

}  // namespace patchparty::feeds
