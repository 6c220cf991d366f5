#include "collectors/restart/stale_scan.h"

#include "collectors/restart/proc_file.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>

namespace patchparty::restart {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kDeletedSuffix = " (deleted)";

// The mapped file's current inode, resolved inside the process's root (RESOLVE_IN_ROOT: "/" and
// ".." stay in it, as for the process) without following any symlink: d_path() gives mappings
// canonical paths, so a symlink there is a file put in place since, possibly pointing at a slow
// or hostile mount. A symlink as the last component is taken as itself (its own inode, never the
// mapped file's: replaced). O_PATH opens nothing, so no FIFO blocks and no device is touched.
// 0 when gone or not resolvable without following a link.
std::uint64_t current_inode(int root_fd, const std::string& path) {
  if (root_fd < 0) return 0;
  open_how how{};
  how.flags = O_PATH | O_CLOEXEC | O_NOFOLLOW;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  const auto start = path.find_first_not_of('/');
  if (start == std::string::npos) return 0;
  const std::string rel = path.substr(start);
  const int fd = static_cast<int>(::syscall(SYS_openat2, root_fd, rel.c_str(), &how, sizeof how));
  struct stat st {};
  if (fd < 0) {
    // Kernels before 5.6: the last component at least is not followed.
    if (errno != ENOSYS || ::fstatat(root_fd, rel.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return 0;
    return static_cast<std::uint64_t>(st.st_ino);
  }
  const bool ok = ::fstat(fd, &st) == 0;
  ::close(fd);
  return ok ? static_cast<std::uint64_t>(st.st_ino) : 0;
}

bool parse_pid(std::string_view name, int& pid) {
  auto [p, ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
  return ec == std::errc() && p == name.data() + name.size() && pid > 0;
}

std::string read_link(const fs::path& link) {
  char buf[4096];
  const ssize_t n = ::readlink(link.c_str(), buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

// The kernel names a mapped file from the reader's root when it can reach it, else from the root
// of the file's mount namespace; neither is the process's own root when that process is
// chrooted (bind9, postfix, sftp) or when this daemon is. Its root, named the same way, is the
// prefix to take off so the path resolves under /proc/PID/root and reads as the process sees it.
std::string in_process_root(std::string path, std::string_view root_prefix) {
  if (root_prefix.empty() || root_prefix == "/") return path;
  if (path.size() > root_prefix.size() && path.starts_with(root_prefix) &&
      path[root_prefix.size()] == '/')
    path.erase(0, root_prefix.size());
  return path;
}

}  // namespace

std::vector<StaleFile> stale_files(const std::vector<MappedFile>& maps, const std::string& exe,
                                   const fs::path& root, std::string_view root_prefix,
                                   const std::vector<std::string>& ignored_prefixes) {
  std::vector<StaleFile> out;
  // The process's root as it sees it (another mount namespace for a container).
  const int root_fd = ::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  // The executable is judged like a library: readlink only tells which mapping it is.
  std::string exe_path = exe;
  if (exe_path.ends_with(kDeletedSuffix)) exe_path.resize(exe_path.size() - kDeletedSuffix.size());
  exe_path = in_process_root(std::move(exe_path), root_prefix);
  for (const auto& mapping : maps) {
    MappedFile m = mapping;
    m.path = in_process_root(std::move(m.path), root_prefix);
    if (m.path != exe_path && !is_shared_library(m.path)) continue;
    if (is_ignored_mapping(m.path, ignored_prefixes)) continue;
    // dpkg and rpm install a new version beside the old file and rename() it over, which
    // unlinks the mapped inode: the kernel shows the mapping "(deleted)" although a file is at
    // the path again. That is a replacement (an upgrade); "deleted" is left for a path with no
    // file at all (a package removed). A mapping not marked deleted whose path now holds another
    // inode was replaced without the kernel seeing it (another mount namespace, a bind mount).
    const std::uint64_t now = current_inode(root_fd, m.path);
    if (m.deleted)
      out.push_back(
          {m.path, now != 0 && now != m.inode ? StaleReason::replaced : StaleReason::deleted});
    else if (now != 0 && now != m.inode)
      out.push_back({m.path, StaleReason::replaced});
  }
  if (root_fd >= 0) ::close(root_fd);
  std::sort(out.begin(), out.end(),
            [](const StaleFile& a, const StaleFile& b) { return a.path < b.path; });
  return out;
}

ProcessScan scan_processes(const ScanOptions& options) {
  ProcessScan scan;
  std::vector<int> pids;
  std::error_code ec;
  for (fs::directory_iterator it(options.proc_root, ec), end; !ec && it != end; it.increment(ec)) {
    int pid = 0;
    if (parse_pid(it->path().filename().native(), pid)) pids.push_back(pid);
  }
  std::sort(pids.begin(), pids.end());
  if (pids.size() > options.max_processes) {
    scan.truncated = true;
    pids.resize(options.max_processes);
  }
  std::string maps_text;
  for (int pid : pids) {
    const fs::path dir = options.proc_root / std::to_string(pid);
    const auto status = read_proc_file(dir / "maps", options.max_maps_bytes, maps_text);
    if (status == ReadStatus::gone) {
      ++scan.vanished;
      continue;
    }
    ++scan.scanned;
    if (status == ReadStatus::denied) {
      ++scan.permission_denied;
      continue;
    }
    if (maps_text.empty()) continue;  // kernel threads
    const auto maps = parse_maps(maps_text, options.max_map_lines);
    auto files = stale_files(maps, read_link(dir / "exe"), dir / "root", read_link(dir / "root"),
                             options.ignored_prefixes);
    if (files.empty()) continue;
    StaleProcess p;
    p.pid = pid;
    std::string comm;
    if (read_proc_file(dir / "comm", 256, comm) == ReadStatus::ok) {
      while (!comm.empty() && comm.back() == '\n') comm.pop_back();
      p.comm = std::move(comm);
    }
    p.files = std::move(files);
    scan.stale.push_back(std::move(p));
  }
  return scan;
}

}  // namespace patchparty::restart
