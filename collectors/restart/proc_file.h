// Reading /proc files, which report a size of 0 and so are read to EOF under a cap.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace patchparty::restart {

enum class ReadStatus { ok, denied, gone };

// denied: EACCES/EPERM (another user's process, without CAP_SYS_PTRACE); gone: anything else,
// mostly a process that exited. Symlinks are not followed.
ReadStatus read_proc_file(const std::filesystem::path& file, std::size_t max_bytes,
                          std::string& out);

}  // namespace patchparty::restart
