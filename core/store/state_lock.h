// One patchpartyd per state directory: an exclusive flock on <state_dir>/patchpartyd.lock, held
// for the daemon's life. The kernel drops it when the process dies, however it dies, so a crash
// never leaves a stale lock behind. `patchparty restore` takes the same lock, so the daemon
// cannot start on a database that is being replaced.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string_view>

#include "core/base/result.h"
#include "core/store/durable_file.h"

namespace patchparty::store {

inline constexpr std::string_view kLockFileName = "patchpartyd.lock";

class StateLock {
 public:
  // Creates state_dir if needed and takes the lock without waiting. failed_precondition when
  // another process holds it, naming the directory and, if recorded, that process's pid.
  // `holder` goes into the file for that message ("patchpartyd", "patchparty restore").
  [[nodiscard]] static Result<StateLock> acquire(const std::filesystem::path& state_dir,
                                                 std::string_view holder);

  const std::filesystem::path& file() const { return file_; }

 private:
  StateLock(UniqueFd fd, std::filesystem::path file) noexcept
      : fd_(std::move(fd)), file_(std::move(file)) {}

  UniqueFd fd_;  // the lock lives as long as this descriptor (O_CLOEXEC: children do not hold it)
  std::filesystem::path file_;
};

}  // namespace patchparty::store
