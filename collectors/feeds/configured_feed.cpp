#include "collectors/feeds/configured_feed.h"

#include "core/base/error_context.h"

namespace patchparty::feeds {

Result<RefreshResult> ConfiguredFeed::refresh(Fetcher& fetcher, const FetchState& previous,
                                              const FeedSinks& sinks, std::stop_token stop) {
  FetchOptions options;
  options.total_timeout = config_.timeout;
  options.max_bytes = static_cast<std::uint64_t>(config_.max_size);
  options.ca_path = config_.ca_path;
  const std::string context = "feed " + config_.name;
  PP_TRY(fetched, with_context(fetcher.fetch(config_.url, config_.name, previous, options,
                                             sinks.progress, stop),
                               context));
  RefreshResult result;
  result.attempts = fetched.attempts;
  result.bytes = fetched.bytes;
  if (fetched.not_modified) {
    result.status = Refresh::not_modified;
    result.validators = previous;
    return result;
  }
  PP_TRY(stats, with_context(reader_(fetched, config_, sinks), context));
  if (stop.stop_requested()) return fail(Errc::unavailable, context + ": cancelled");
  result.validators = fetched.validators;
  result.stats = std::move(stats);
  return result;
}

}  // namespace patchparty::feeds
