// Reading OSV records in the shapes they are published: one JSON record, a JSON array of records,
// a directory tree of records, or an ecosystem's all.zip. Memory is bounded by the largest record,
// not by the source: a zip is read member by member.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/feeds/feed_kind.h"
#include "collectors/feeds/fetcher.h"
#include "core/base/result.h"
#include "core/model/model.h"

namespace patchparty::feeds {

inline constexpr std::size_t kMaxOsvRecordBytes = 16u << 20;

struct OsvReadStats {
  std::uint64_t records = 0;  // handed to the sink
  std::uint64_t skipped = 0;  // valid JSON that breaks the schema, or filtered out
  std::uint64_t bytes = 0;    // input bytes read (compressed size for a zip)
  // The latest `modified` time (unix seconds) of every record read, kept or filtered out: how
  // far the source's change index is covered. 0 when no record had one.
  std::int64_t newest_modified = 0;
  std::vector<std::string> newest_ids;        // the records modified in that second
  std::vector<std::string> skipped_examples;  // the first few reasons, for the log
};

struct OsvReadOptions {
  std::vector<std::string> only_ecosystems;  // keep records affecting these (base or full name)
  ProgressFn progress;
};

// A path that is a directory is walked for *.json files; a file is a zip (by its magic bytes)
// or JSON. Unreadable bytes (truncated zip, a member that is not JSON) are data_loss and stop the
// read: the caller rolls back. A sink error stops the read too.
[[nodiscard]] Result<OsvReadStats> read_osv(const std::filesystem::path& path,
                                            const OsvReadOptions& options,
                                            const std::function<Result<>(Advisory&&)>& sink);

// "osv": OSV records: a zip, a folder or one file, kept to the `only` ecosystems
// (register_builtin_feeds).
FeedKind osv_feed_kind();

}  // namespace patchparty::feeds
