#include "collectors/restart/proc_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace patchparty::restart {

ReadStatus read_proc_file(const std::filesystem::path& file, std::size_t max_bytes,
                          std::string& out) {
  out.clear();
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return errno == EACCES || errno == EPERM ? ReadStatus::denied : ReadStatus::gone;
  char buf[65536];
  ReadStatus status = ReadStatus::ok;
  while (out.size() < max_bytes) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      // Another user's maps opens fine, but its read fails the kernel's ptrace check.
      status = errno == EACCES || errno == EPERM ? ReadStatus::denied : ReadStatus::gone;
      break;
    }
    if (n == 0) break;
    out.append(buf, std::min(static_cast<std::size_t>(n), max_bytes - out.size()));
  }
  ::close(fd);
  return status;
}

}  // namespace patchparty::restart
