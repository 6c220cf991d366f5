// Walks /proc for processes that still run code from a deleted or replaced shared library or
// executable, as needrestart and checkrestart do.
//
// What an unprivileged daemon sees: /proc/PID/maps of other users' processes is readable only
// with CAP_SYS_PTRACE (ptrace_may_access), so without it those processes are counted in
// permission_denied and not inspected; its own user's processes are inspected fully. Running as
// root (or with CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH) sees every process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "collectors/restart/proc_maps.h"
#include "core/model/restart_report.h"

namespace patchparty::restart {

struct ScanOptions {
  std::filesystem::path proc_root = "/proc";
  std::size_t max_processes = 32768;  // PIDs inspected at most; the rest set `truncated`
  std::size_t max_map_lines = 65536;  // lines of one maps file
  std::size_t max_maps_bytes = 16u << 20;
  std::vector<std::string> ignored_prefixes{std::begin(kDefaultIgnoredPrefixes),
                                            std::end(kDefaultIgnoredPrefixes)};
};

struct ProcessScan {
  std::vector<StaleProcess> stale;  // by pid; unit not filled in yet
  std::int64_t scanned = 0;
  std::int64_t permission_denied = 0;
  std::int64_t vanished = 0;  // exited between the directory listing and the read
  bool truncated = false;
};

// The stale files of one process from its maps and its executable's path (readlink of
// /proc/PID/exe). A mapping whose path now holds another inode (looked up through `root`, the
// process's view of the file system: /proc/PID/root) is replaced, whether or not the kernel
// marked it "(deleted)"; a "(deleted)" one with no file at its path is deleted. Only the devices'
// inodes are compared, not the device numbers: overlayfs and btrfs subvolumes report another st_dev
// than the mapping's, which would make every library in a container look replaced.
// `root_prefix` is readlink of /proc/PID/root ("/" but for a chrooted process, or a process in
// another mount namespace seen from a chroot): taken off the front of every path, so paths are
// the process's own and resolve under `root`.
std::vector<StaleFile> stale_files(const std::vector<MappedFile>& maps, const std::string& exe,
                                   const std::filesystem::path& root, std::string_view root_prefix,
                                   const std::vector<std::string>& ignored_prefixes);

ProcessScan scan_processes(const ScanOptions& options);

}  // namespace patchparty::restart
