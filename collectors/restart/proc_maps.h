// /proc/PID/maps as far as restart detection needs it: the file-backed mappings, with the
// device and inode they were mapped from, and whether the kernel marked the file deleted.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace patchparty::restart {

struct MappedFile {
  std::string path;  // without the " (deleted)" suffix
  std::uint64_t inode = 0;
  unsigned dev_major = 0, dev_minor = 0;
  bool deleted = false;
  friend bool operator==(const MappedFile&, const MappedFile&) = default;
};

// File-backed mappings of a maps text, each path once (first line wins), in order of first
// appearance. Anonymous, [heap]/[stack]/[vdso]/[vvar]/[vsyscall], inode-0 and malformed lines are
// skipped; at most `max_lines` lines are read.
std::vector<MappedFile> parse_maps(std::string_view text, std::size_t max_lines = 100000);

// A shared library by name: "libz.so", "libz.so.1", "libssl.so.3.0.2", "ld-linux-x86-64.so.2",
// "libpython3.11.so.1.0"; not "foo.sock", "x.so.bak" or "a.sorted".
bool is_shared_library(std::string_view path);

// Mappings that are never a reason to restart, by path prefix:
// - /memfd:, /dev/ (incl. /dev/shm, /dev/zero), /SYSV, /[aio]: shared memory and anonymous
//   files the kernel shows as paths; "deleted" is their normal state.
// - /proc/, /sys/: pseudo files, never replaced by a package.
// - /tmp/, /var/tmp/: Java's JNA and netty, PyInstaller and others extract a native library
//   there, load it and unlink it at once; it is not a package's file and a restart would just
//   extract it again.
inline constexpr std::string_view kDefaultIgnoredPrefixes[] = {
    "/memfd:", "/dev/", "/SYSV", "/[aio]", "/proc/", "/sys/", "/tmp/", "/var/tmp/"};
bool is_ignored_mapping(std::string_view path, const std::vector<std::string>& prefixes);

}  // namespace patchparty::restart
