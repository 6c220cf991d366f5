#include "core/base/bounded_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <deque>
#include <string>
#include <system_error>
#include <vector>

namespace patchparty {

namespace {
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};
}  // namespace

Result<std::string> read_bounded_file(const std::filesystem::path& file, std::size_t max_bytes) {
  Fd f{::open(file.c_str(), O_RDONLY | O_CLOEXEC)};
  if (f.fd < 0) return tl::make_unexpected(errno_error(errno, file.string()));
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) return tl::make_unexpected(errno_error(errno, file.string()));
  if (S_ISDIR(st.st_mode)) return fail(Errc::invalid_argument, file.string() + ": is a directory");
  if (static_cast<std::size_t>(st.st_size) > max_bytes)
    return fail(Errc::resource_exhausted, file.string() + ": " + std::to_string(st.st_size) +
                                              " bytes, over the limit of " +
                                              std::to_string(max_bytes));
  std::string out;
  out.resize(static_cast<std::size_t>(st.st_size));
  std::size_t got = 0;
  // The size can change under us (a log being written): read until EOF, never past the cap.
  for (;;) {
    if (got == out.size()) {
      if (out.size() >= max_bytes + 1) break;
      out.resize(std::min(max_bytes + 1, std::max<std::size_t>(out.size() * 2, 4096)));
    }
    ssize_t n = ::read(f.fd, out.data() + got, out.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      return tl::make_unexpected(errno_error(errno, file.string()));
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  if (got > max_bytes)
    return fail(Errc::resource_exhausted,
                file.string() + ": over the limit of " + std::to_string(max_bytes) + " bytes");
  out.resize(got);
  return out;
}

std::filesystem::path under_root(const std::filesystem::path& root,
                                 const std::filesystem::path& path) {
  if (root.empty() || root == "/") return path;
  constexpr int kMaxRootLinks = 40;  // Linux's own limit on a path's links
  std::vector<std::string> below;    // resolved components under the root, no link among them
  std::deque<std::string> todo;
  for (const auto& c : path.relative_path()) todo.push_back(c.string());
  int links = 0;
  while (!todo.empty()) {
    std::string c = std::move(todo.front());
    todo.pop_front();
    if (c.empty() || c == ".") continue;
    if (c == "..") {
      if (!below.empty()) below.pop_back();
      continue;
    }
    std::filesystem::path here = root;
    for (const auto& b : below) here /= b;
    here /= c;
    struct stat st {};
    if (links < kMaxRootLinks && ::lstat(here.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
      std::error_code ec;
      const std::filesystem::path target = std::filesystem::read_symlink(here, ec);
      if (!ec) {
        ++links;
        if (target.is_absolute()) below.clear();
        std::vector<std::string> parts;
        for (const auto& t : target.relative_path()) parts.push_back(t.string());
        todo.insert(todo.begin(), parts.begin(), parts.end());
        continue;
      }
    }
    below.push_back(std::move(c));
  }
  std::filesystem::path out = root;
  for (const auto& b : below) out /= b;
  return out;
}

}  // namespace patchparty
