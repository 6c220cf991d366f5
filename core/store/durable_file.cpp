#include "core/store/durable_file.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <system_error>

namespace patchparty::store {

void UniqueFd::reset() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Result<TempFile> TempFile::create_beside(const std::filesystem::path& target) {
  std::string name = target.string() + ".tmp-XXXXXX";
  UniqueFd fd(::mkostemp(name.data(), O_CLOEXEC));
  if (!fd)
    return tl::make_unexpected(
        errno_error(errno, "cannot create a file beside " + target.string()));
  return TempFile(std::filesystem::path(name));
}

TempFile::~TempFile() {
  if (!armed_) return;
  // SQLite may have left a journal beside the temporary name when it failed half way.
  std::error_code ec;
  for (const char* suffix : {"", "-journal", "-wal", "-shm"})
    std::filesystem::remove(path_.string() + suffix, ec);
}

namespace {

Result<> fsync_path(const std::filesystem::path& p, int flags) {
  UniqueFd fd(::open(p.c_str(), flags | O_CLOEXEC));
  if (!fd) return tl::make_unexpected(errno_error(errno, p.string()));
  if (::fsync(fd.get()) != 0) return tl::make_unexpected(errno_error(errno, "fsync " + p.string()));
  return {};
}

std::filesystem::path directory_of(const std::filesystem::path& p) {
  auto dir = p.parent_path();
  return dir.empty() ? std::filesystem::path(".") : dir;
}

}  // namespace

Result<> fsync_file(const std::filesystem::path& file) {
  return fsync_path(file, O_RDONLY);
}

Result<> fsync_directory(const std::filesystem::path& dir) {
  return fsync_path(dir, O_RDONLY | O_DIRECTORY);
}

Result<> rename_durably(const std::filesystem::path& from, const std::filesystem::path& to,
                        bool replace) {
  int rc =
      ::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), replace ? 0 : RENAME_NOREPLACE);
  if (rc != 0 && errno == EINVAL && !replace) {
    // A file system without RENAME_NOREPLACE: link() refuses an existing name just as well.
    if (::link(from.c_str(), to.c_str()) == 0) {
      ::unlink(from.c_str());
      rc = 0;
    }
  }
  if (rc != 0) {
    int err = errno;
    if (err == EEXIST)
      return fail(Errc::failed_precondition, to.string() + ": exists; pass --force to replace it");
    return tl::make_unexpected(
        errno_error(err, "cannot rename " + from.string() + " to " + to.string()));
  }
  return fsync_directory(directory_of(to));
}

Result<> copy_ownership(const std::filesystem::path& file, const std::filesystem::path& like,
                        bool is_directory_like) {
  struct stat st {};
  if (::stat(like.c_str(), &st) != 0) return tl::make_unexpected(errno_error(errno, like.string()));
  // A directory's x bits mean "may enter"; a database file gets only its read and write bits.
  mode_t mode = st.st_mode & (is_directory_like ? 0660 : 0666);
  if (::chown(file.c_str(), st.st_uid, st.st_gid) != 0 && errno != EPERM)
    return tl::make_unexpected(errno_error(errno, "chown " + file.string()));
  if (::chmod(file.c_str(), mode) != 0)
    return tl::make_unexpected(errno_error(errno, "chmod " + file.string()));
  return {};
}

std::string utc_stamp() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  ::gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

}  // namespace patchparty::store
