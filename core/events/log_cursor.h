// How far a followed log file has been read, kept in the store between runs (store/event_tables.h)
// so a restart neither re-reads nor skips lines.
#pragma once

#include <cstdint>
#include <string>

namespace patchparty::events {

struct LogCursor {
  std::string path;             // the followed file as configured ("/var/log/dpkg.log")
  std::uint64_t inode = 0;      // of the file the offset belongs to; 0: none seen yet
  std::int64_t offset = 0;      // bytes consumed: always just after a complete line
  std::uint64_t head_hash = 0;  // of the file's first line, to notice a file rewritten in place

  friend bool operator==(const LogCursor&, const LogCursor&) = default;
};

}  // namespace patchparty::events
