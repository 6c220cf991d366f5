// Reading untrusted files with a size cap: a 200 MB lockfile is an error, not an OOM.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "core/base/result.h"

namespace patchparty {

inline constexpr std::size_t kDefaultMaxFileBytes = 64u << 20;

// The whole file, or resource_exhausted when it is larger than max_bytes, not_found when missing.
[[nodiscard]] Result<std::string> read_bounded_file(const std::filesystem::path& file,
                                                    std::size_t max_bytes = kDefaultMaxFileBytes);

// `root` / `path` for chroots and container images: "/" + "/var/lib/dpkg/status" stays as is,
// "/srv/img" + "/var/lib/dpkg/status" becomes "/srv/img/var/lib/dpkg/status". Symbolic links
// inside the root are followed as a chroot would follow them, so nothing resolves outside it: an
// absolute target starts again at the root (an image's /var/lib/rpm -> /usr/lib/sysimage/rpm
// works), ".." stops at the root. The result holds no link the root had when it was resolved;
// components that do not exist are kept as written. After kMaxRootLinks links the rest of the
// path is kept as written, not followed: the open that follows then fails on the loop.
std::filesystem::path under_root(const std::filesystem::path& root,
                                 const std::filesystem::path& path);

}  // namespace patchparty
