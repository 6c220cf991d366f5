#include "core/store/state_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

namespace patchparty::store {

namespace {

// "pid 1234 (patchpartyd)" from the file's contents, or "" when unreadable or empty.
std::string holder_of(int fd) {
  char buf[128];
  ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return {};
  std::string text(buf, static_cast<std::size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  auto space = text.find(' ');
  if (space == std::string::npos) return "pid " + text;
  return "pid " + text.substr(0, space) + " (" + text.substr(space + 1) + ")";
}

}  // namespace

Result<StateLock> StateLock::acquire(const std::filesystem::path& state_dir,
                                     std::string_view holder) {
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  if (ec) return tl::make_unexpected(errno_error(ec.value(), state_dir.string()));
  std::filesystem::path file = state_dir / kLockFileName;
  UniqueFd fd(::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644));
  if (!fd) return tl::make_unexpected(errno_error(errno, file.string()));
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    if (err != EWOULDBLOCK) return tl::make_unexpected(errno_error(err, "flock " + file.string()));
    std::string who = holder_of(fd.get());
    return fail(Errc::failed_precondition,
                "state directory " + state_dir.string() +
                    " is in use: " + (who.empty() ? std::string("another process") : who) +
                    " holds " + file.string());
  }
  // Only for the message above; the lock itself is the flock, not the contents.
  std::string line = std::to_string(::getpid()) + " " + std::string(holder) + "\n";
  if (::ftruncate(fd.get(), 0) == 0 && ::pwrite(fd.get(), line.data(), line.size(), 0) < 0) {
    // The pid is a courtesy for the refusal message; the lock is held either way.
  }
  return StateLock(std::move(fd), std::move(file));
}

}  // namespace patchparty::store
