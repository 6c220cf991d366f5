#include "collectors/feeds/osv_bucket_feed.h"

#include <cmath>
#include <system_error>

#include "collectors/feeds/osv_change_fetch.h"
#include "collectors/feeds/osv_modified_ids.h"
#include "collectors/feeds/osv_source.h"
#include "core/base/error_context.h"

namespace patchparty::feeds {

namespace {

// Removes the folder of fetched records however the sync ends.
struct FolderCleanup {
  std::filesystem::path folder;
  ~FolderCleanup() {
    std::error_code ec;
    std::filesystem::remove_all(folder, ec);
  }
};

}  // namespace

FetchOptions OsvBucketFeed::options() const {
  FetchOptions options;
  options.total_timeout = config_.timeout;
  options.max_bytes = static_cast<std::uint64_t>(config_.max_size);
  options.ca_path = config_.ca_path;
  return options;
}

Result<RefreshResult> OsvBucketFeed::refresh(Fetcher& fetcher, const FetchState& previous,
                                             const FeedSinks& sinks, std::stop_token stop) {
  const std::string context = "feed " + config_.name;
  if (previous.cursor.empty()) return full(fetcher, previous, sinks, stop, "full", 0);
  const auto cursor = parse_index_cursor(previous.cursor);
  if (!cursor) return full(fetcher, previous, sinks, stop, "full (fallback: unreadable cursor)", 0);

  const auto max_changed = static_cast<std::size_t>(
      std::floor(config_.max_changed_share * static_cast<double>(previous.records)));
  auto head = read_index_head(fetcher, config_.url + "modified_id.csv", cursor->time,
                              max_changed + cursor->ids.size(), options(), stop);
  if (stop.stop_requested()) return fail(Errc::unavailable, context + ": cancelled");
  if (!head)
    return full(fetcher, previous, sinks, stop,
                "full (fallback: modified_id.csv: " + head.error().message + ")", 0);
  auto too_many = [&] {
    return "full (fallback: more than " + std::to_string(max_changed) +
           " records changed, max_changed_share of " + std::to_string(previous.records) + ")";
  };
  if (head->since.over_limit) return full(fetcher, previous, sinks, stop, too_many(), head->bytes);
  if (!head->since.reached_cursor)
    return full(fetcher, previous, sinks, stop,
                "full (fallback: modified_id.csv does not reach back to the cursor)", head->bytes);

  const IndexChanges changes = changes_after(head->since, *cursor);
  const auto& changed = changes.to_fetch;
  if (changed.size() > max_changed)
    return full(fetcher, previous, sinks, stop, too_many(), head->bytes);
  FolderCleanup cleanup{fetcher.download_dir() / (config_.name + ".changes")};
  auto records =
      fetch_records(fetcher, config_.url, changed, cleanup.folder,
                    static_cast<std::size_t>(config_.concurrency), options(), sinks.progress, stop);
  if (stop.stop_requested()) return fail(Errc::unavailable, context + ": cancelled");
  if (!records)
    return full(fetcher, previous, sinks, stop, "full (fallback: " + records.error().message + ")",
                head->bytes);

  // Every byte is here: only now does the store hear of the sync, so a fallback above never
  // follows a half-applied update.
  PP_CHECK(sinks.update_in_place());
  RefreshResult result;
  OsvReadOptions read_options;
  read_options.only_ecosystems = config_.only;
  for (std::size_t i = 0; i < changed.size(); ++i) {
    const std::string& id = changed[i].id;
    PP_CHECK(sinks.forget_advisory(std::string(id)));
    auto stats = read_osv(records->files[i], read_options, [&](Advisory&& a) -> Result<> {
      if (a.id != id)
        return fail(Errc::data_loss, "record " + id + ".json holds " + a.id.substr(0, 80));
      return sinks.advisory(std::move(a));
    });
    if (!stats) return tl::make_unexpected(with_context(stats.error(), context));
    result.stats.records += stats->records;
    result.stats.skipped += stats->skipped;
    for (auto& e : stats->skipped_examples) {
      if (result.stats.skipped_examples.size() < 5) result.stats.skipped_examples.push_back(e);
    }
  }
  if (stop.stop_requested()) return fail(Errc::unavailable, context + ": cancelled");
  result.validators = previous;
  result.validators.cursor = format_index_cursor(changes.next);
  result.sync_mode = "incremental";
  result.bytes = head->bytes + records->bytes;
  result.attempts = 1;
  return result;
}

Result<RefreshResult> OsvBucketFeed::full(Fetcher& fetcher, const FetchState& previous,
                                          const FeedSinks& sinks, std::stop_token stop,
                                          std::string mode, std::uint64_t bytes_so_far) {
  const std::string context = "feed " + config_.name;
  // The zip's own validators: a 304 means the data held is at least as new as the zip.
  PP_TRY(fetched, with_context(fetcher.fetch(config_.url + "all.zip", config_.name, previous,
                                             options(), sinks.progress, stop),
                               context));
  RefreshResult result;
  result.attempts = fetched.attempts;
  result.bytes = bytes_so_far + fetched.bytes;
  result.sync_mode = std::move(mode);
  if (fetched.not_modified) {
    result.status = Refresh::not_modified;
    result.validators = previous;
    return result;
  }
  OsvReadOptions read_options;
  read_options.only_ecosystems = config_.only;
  read_options.progress = sinks.progress;
  PP_TRY(stats, with_context(read_osv(fetched.path, read_options, sinks.advisory), context));
  if (stop.stop_requested()) return fail(Errc::unavailable, context + ": cancelled");
  result.validators = fetched.validators;
  // The newest record held, not the index's newest row: a record modified after the zip was
  // written is then read from the index at the next sync, never skipped.
  if (stats.newest_modified > 0)
    result.validators.cursor =
        format_index_cursor(IndexCursor{stats.newest_modified, std::move(stats.newest_ids)});
  result.stats = ReadStats{stats.records, stats.skipped, std::move(stats.skipped_examples)};
  return result;
}

}  // namespace patchparty::feeds
