// Files that must survive a crash whole or not at all: a temporary name beside the target,
// fsync of the file and of its directory, then an atomic rename.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <utility>

#include "core/base/result.h"

namespace patchparty::store {

// An owned file descriptor.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) noexcept : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept {
    if (this != &other) {
      reset();
      fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
  }
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() { reset(); }

  int get() const { return fd_; }
  explicit operator bool() const { return fd_ >= 0; }
  void reset() noexcept;

 private:
  int fd_ = -1;
};

// A new empty file "<target>.tmp-XXXXXX" beside `target` (mode 0600), removed again when this
// goes out of scope unless keep() was called: an error half way leaves no partial file.
class TempFile {
 public:
  [[nodiscard]] static Result<TempFile> create_beside(const std::filesystem::path& target);

  TempFile(TempFile&& other) noexcept
      : path_(std::move(other.path_)), armed_(std::exchange(other.armed_, false)) {}
  TempFile& operator=(TempFile&&) = delete;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile();

  const std::filesystem::path& path() const { return path_; }
  // The file was renamed away: nothing left to remove.
  void keep() noexcept { armed_ = false; }

 private:
  explicit TempFile(std::filesystem::path path) noexcept : path_(std::move(path)) {}

  std::filesystem::path path_;
  bool armed_ = true;
};

// fsync of a regular file's data and metadata.
[[nodiscard]] Result<> fsync_file(const std::filesystem::path& file);
// fsync of a directory, so that a rename or link in it survives a crash.
[[nodiscard]] Result<> fsync_directory(const std::filesystem::path& dir);

// Renames `from` to `to` atomically. With `replace` false, an existing `to` fails with
// failed_precondition instead of being replaced (RENAME_NOREPLACE: no window between a check
// and the rename). Then fsyncs the directory of `to`.
[[nodiscard]] Result<> rename_durably(const std::filesystem::path& from,
                                      const std::filesystem::path& to, bool replace);

// Gives `file` the owner, group and permission bits of `like` (the database it replaces or the
// state directory), so a daemon running as its own user can open what root restored.
[[nodiscard]] Result<> copy_ownership(const std::filesystem::path& file,
                                      const std::filesystem::path& like, bool is_directory_like);

// UTC "YYYYMMDDTHHMMSSZ" for file names.
std::string utc_stamp();

}  // namespace patchparty::store
