// OSV's index of what changed in an ecosystem: `<ECOSYSTEM>/modified_id.csv` beside `all.zip`,
// one "<RFC 3339 modified time>,<id>" row per record, newest first. A sync that remembers the
// newest time it applied (its cursor) reads rows only down to that time and fetches those
// records alone, instead of the whole all.zip.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"

namespace patchparty::feeds {

struct ModifiedId {
  std::int64_t modified = 0;  // unix seconds (OSV writes fractions; a second is fine enough)
  std::string id;             // "GHSA-xxxx-xxxx-xxxx", "PYSEC-2024-12": also the file stem
};

struct ModifiedSince {
  // Rows modified at or after the cursor, newest first, each id once. The cursor's own second
  // is read again: a record modified later in that second than the last sync saw is not
  // missed, and applying one twice changes nothing.
  std::vector<ModifiedId> changed;
  std::int64_t newest = 0;  // the first row's time: the cursor after these are applied
  // A row older than the cursor was reached. When it was not, every row is newer than the
  // cursor: the index no longer reaches back that far, and only a full sync is safe.
  bool reached_cursor = false;
  bool over_limit = false;  // more than `max_changed` rows: the caller syncs in full instead
};

// Reads rows until the first one older than `cursor` (so a daily sync of a 200,000-row index
// reads a few hundred lines), or `max_changed` + 1 rows at or after it. Each row must be a valid
// RFC 3339 time, a comma and an id of letters, digits, '-', '_', '.' and ':' (no '/' and no
// "..": the id becomes a path of the bucket); rows must not grow newer further down; CRLF line
// ends are accepted. Anything else is data_loss naming the line: an index that cannot be read
// in full is never half-applied, the caller falls back to all.zip. An empty index is
// data_loss too: no OSV ecosystem is empty, so it is a truncated download.
[[nodiscard]] Result<ModifiedSince> read_modified_since(std::string_view csv, std::int64_t cursor,
                                                        std::size_t max_changed,
                                                        std::string_view label);

// How far a feed has applied the index: the newest second, and the records of that second it
// holds. The second is read again at the next sync (a record modified later in it must not be
// missed); the records named here are not fetched again unless their row moves.
struct IndexCursor {
  std::int64_t time = 0;
  std::vector<std::string> ids;  // at most kMaxCursorIds; none: every row of `time` is read again
};
inline constexpr std::size_t kMaxCursorIds = 64;

// "2030-01-01T00:03:00Z" or "2030-01-01T00:03:00Z MAL-1 MAL-2": the store's spelling, which
// `patchparty feeds status` shows. nullopt when the time is not RFC 3339 or an id is not an id.
std::optional<IndexCursor> parse_index_cursor(std::string_view text);
// Leaves the ids out when there are more than kMaxCursorIds.
std::string format_index_cursor(const IndexCursor& cursor);

// `since.changed` without the rows the cursor says are held; the cursor after them, newest first
// (merging the old cursor's ids when the newest second did not move).
struct IndexChanges {
  std::vector<ModifiedId> to_fetch;
  IndexCursor next;
};
IndexChanges changes_after(const ModifiedSince& since, const IndexCursor& cursor);

}  // namespace patchparty::feeds
