// Reads the complete lines appended to a log file since the last read, across logrotate's
// rename (file -> file.1, a new file created) and across truncation. The position is a
// LogCursor the caller keeps (the store, in the same transaction as what it made of the lines).
//
//   same inode, size >= offset, same head: the lines after offset
//   same inode, size < offset, or its first bytes changed: truncated or rewritten, from 0
//   another inode: the rest of the old file if file.1 is it (compressed ones are not read),
//     then the new file from 0
//   no cursor yet: the end of the file, so a first start does not replay months of history
//   no file: nothing; when it appears it is read from 0
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/events/log_cursor.h"

namespace patchparty::dpkglog {

struct FollowOutcome {
  std::vector<std::string> lines;    // without their '\n', oldest first
  events::LogCursor cursor;          // where the next read starts
  std::vector<std::string> notices;  // rotation, truncation: for the log
};

inline constexpr std::size_t kDefaultMaxReadBytes = 8u << 20;

// Reads at most `max_bytes` per file and call; the rest comes on the next call. A partial last
// line stays unread until its '\n' arrives.
[[nodiscard]] Result<FollowOutcome> follow_log(const std::filesystem::path& file,
                                               const std::optional<events::LogCursor>& cursor,
                                               std::size_t max_bytes = kDefaultMaxReadBytes);

}  // namespace patchparty::dpkglog
