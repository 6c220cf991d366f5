// The downloads of an incremental OSV sync: the head of an ecosystem's modified_id.csv, down to
// the cursor and no further, and the records it names. What to do with them is osv_bucket_feed's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/feeds/fetcher.h"
#include "collectors/feeds/osv_modified_ids.h"
#include "core/base/result.h"

namespace patchparty::feeds {

// The first range asked for; each further one is twice the last, up to kMaxIndexRange. A daily
// change of a few hundred rows costs a few requests and tens of kilobytes, against the megabytes
// of the whole index.
inline constexpr std::uint64_t kFirstIndexRange = 4096;
inline constexpr std::uint64_t kMaxIndexRange = 4u << 20;

struct IndexHead {
  ModifiedSince since;
  std::uint64_t bytes = 0;  // downloaded
};

// read_modified_since over `csv_url`, read in growing ranges until a row older than `cursor`,
// more than `max_changed` rows, or the end of the file. A server without ranges sends the whole
// file at the first request, which is read the same way. Errors: the fetch's, or data_loss from
// read_modified_since (a malformed row, an empty index).
[[nodiscard]] Result<IndexHead> read_index_head(Fetcher& fetcher, std::string_view csv_url,
                                                std::int64_t cursor, std::size_t max_changed,
                                                const FetchOptions& options,
                                                std::stop_token stop = {});

struct FetchedRecords {
  std::vector<std::filesystem::path> files;  // one per id, in the order given
  std::uint64_t bytes = 0;                   // downloaded
};

// `<prefix><id>.json` for every id, at most `concurrency` requests at once, each with the
// retries of `options`. http(s) bodies land in `folder` (emptied first; the caller removes it);
// a local prefix is read where it is. The first failure ends the fetch and is returned, naming
// the record: the caller decides what a sync without every record does.
[[nodiscard]] Result<FetchedRecords> fetch_records(
    Fetcher& fetcher, std::string_view prefix, const std::vector<ModifiedId>& ids,
    const std::filesystem::path& folder, std::size_t concurrency, const FetchOptions& options,
    const ProgressFn& progress = {}, std::stop_token stop = {});

// A url naming an ecosystem's folder of OSV's bucket: http(s) ending in '/', or a local folder
// (file:// or a path, ending in '/') that holds an all.zip. A local folder of loose records stays
// what it was: the records themselves.
bool is_osv_bucket_url(std::string_view url);

}  // namespace patchparty::feeds
