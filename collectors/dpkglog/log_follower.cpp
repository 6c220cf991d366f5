#include "collectors/dpkglog/log_follower.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>

namespace patchparty::dpkglog {

namespace {

// Bytes of the file's start that identify it: the first line of dpkg.log carries a time, so a
// rewritten file almost always differs here.
constexpr std::int64_t kHeadBytes = 256;

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

struct Opened {
  std::unique_ptr<Fd> fd;
  std::uint64_t inode = 0;
  std::int64_t size = 0;
};

// nullopt when the file does not exist.
Result<std::optional<Opened>> open_file(const std::filesystem::path& file) {
  auto fd = std::make_unique<Fd>(::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (fd->get() < 0) {
    if (errno == ENOENT) return std::optional<Opened>();
    return tl::make_unexpected(errno_error(errno, file.string()));
  }
  struct stat st {};
  if (::fstat(fd->get(), &st) != 0) return tl::make_unexpected(errno_error(errno, file.string()));
  if (!S_ISREG(st.st_mode))
    return fail(Errc::failed_precondition, file.string() + ": not a regular file");
  return std::optional<Opened>(Opened{std::move(fd), static_cast<std::uint64_t>(st.st_ino),
                                      static_cast<std::int64_t>(st.st_size)});
}

Result<std::string> read_at(const Opened& f, std::int64_t offset, std::size_t n,
                            const std::filesystem::path& file) {
  std::string buf(n, '\0');
  std::size_t got = 0;
  while (got < n) {
    ssize_t r = ::pread(f.fd->get(), buf.data() + got, n - got, static_cast<off_t>(offset + got));
    if (r < 0) {
      if (errno == EINTR) continue;
      return tl::make_unexpected(errno_error(errno, file.string()));
    }
    if (r == 0) break;
    got += static_cast<std::size_t>(r);
  }
  buf.resize(got);
  return buf;
}

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// The hash of the first min(offset, kHeadBytes) bytes: bytes already consumed, which only a
// rewrite can change (a line still being written is never part of them).
Result<std::uint64_t> head_hash(const Opened& f, std::int64_t offset,
                                const std::filesystem::path& file) {
  PP_TRY(head, read_at(f, 0, static_cast<std::size_t>(std::min(offset, kHeadBytes)), file));
  return fnv1a(head);
}

// Complete lines from `offset`; returns the new offset.
Result<std::int64_t> read_lines(const Opened& f, std::int64_t offset, std::size_t max_bytes,
                                const std::filesystem::path& file, FollowOutcome& out) {
  if (f.size <= offset) return offset;
  const auto want = static_cast<std::size_t>(
      std::min<std::int64_t>(f.size - offset, static_cast<std::int64_t>(max_bytes)));
  PP_TRY(chunk, read_at(f, offset, want, file));
  auto end = chunk.rfind('\n');
  if (end == std::string::npos) {
    if (chunk.size() < max_bytes) return offset;  // a line still being written
    out.notices.push_back(file.string() + ": skipped " + std::to_string(chunk.size()) +
                          " bytes without a line end");
    return offset + static_cast<std::int64_t>(chunk.size());
  }
  std::string_view text(chunk.data(), end + 1);
  std::size_t start = 0;
  while (start < text.size()) {
    auto nl = text.find('\n', start);
    out.lines.emplace_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return offset + static_cast<std::int64_t>(end + 1);
}

// Where a first read starts: after the last complete line.
Result<std::int64_t> end_of_last_line(const Opened& f, const std::filesystem::path& file) {
  std::int64_t from = std::max<std::int64_t>(0, f.size - 4096);
  PP_TRY(tail, read_at(f, from, static_cast<std::size_t>(f.size - from), file));
  auto nl = tail.rfind('\n');
  if (nl == std::string::npos) return from == 0 ? std::int64_t{0} : f.size;
  return from + static_cast<std::int64_t>(nl + 1);
}

Result<events::LogCursor> cursor_at(const Opened& f, std::int64_t offset,
                                    const std::filesystem::path& file) {
  PP_TRY(hash, head_hash(f, offset, file));
  return events::LogCursor{file.string(), f.inode, offset, hash};
}

}  // namespace

Result<FollowOutcome> follow_log(const std::filesystem::path& file,
                                 const std::optional<events::LogCursor>& cursor,
                                 std::size_t max_bytes) {
  FollowOutcome out;
  out.cursor = cursor.value_or(events::LogCursor{file.string(), 0, 0, 0});
  out.cursor.path = file.string();
  PP_TRY(current, open_file(file));

  if (!cursor) {
    if (!current) return out;  // inode 0: read from the start once it appears
    PP_TRY(offset, end_of_last_line(*current, file));
    PP_TRY(c, cursor_at(*current, offset, file));
    out.cursor = c;
    return out;
  }

  std::int64_t offset = cursor->offset;
  if (!current || (cursor->inode != 0 && current->inode != cursor->inode)) {
    // Rotated: finish the old file first, if it is still readable as file.1.
    std::filesystem::path rotated = file;
    rotated += ".1";
    PP_TRY(old, open_file(rotated));
    if (old && old->inode == cursor->inode && cursor->inode != 0) {
      if (old->size < offset) offset = 0;
      PP_TRY(next, read_lines(*old, offset, max_bytes, rotated, out));
      if (!current) {  // rotated, the new file not created yet: stay on the old one
        PP_TRY(c, cursor_at(*old, next, rotated));
        c.path = file.string();
        out.cursor = c;
        return out;
      }
      if (next < old->size)  // more than max_bytes left in the old file: finish it next time
      {
        PP_TRY(c, cursor_at(*old, next, rotated));
        c.path = file.string();
        out.cursor = c;
        return out;
      }
      out.notices.push_back(file.string() + ": rotated; read the rest of " + rotated.string());
    } else if (cursor->inode != 0) {
      out.notices.push_back(file.string() + ": rotated, and the previous file is not " +
                            rotated.string() +
                            "; lines written just before the rotation may "
                            "be missed");
    }
    if (!current) return out;
    offset = 0;
  } else if (current->size < offset) {
    out.notices.push_back(file.string() + ": truncated; reading from the start");
    offset = 0;
  } else if (offset > 0) {
    PP_TRY(hash, head_hash(*current, offset, file));
    if (hash != cursor->head_hash) {
      out.notices.push_back(file.string() + ": rewritten in place; reading from the start");
      offset = 0;
    }
  }
  PP_TRY(next, read_lines(*current, offset, max_bytes, file, out));
  PP_TRY(c, cursor_at(*current, next, file));
  out.cursor = c;
  return out;
}

}  // namespace patchparty::dpkglog
