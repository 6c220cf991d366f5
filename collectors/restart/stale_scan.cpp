#include "collectors/restart/stale_scan.h"

#include "collectors/restart/proc_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>

namespace patchparty::restart {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kDeletedSuffix = " (deleted)";

// The mapped file's current inode through the process's root; 0 when it is gone or unreadable.
std::uint64_t current_inode(const fs::path& root, const std::string& path) {
  // The path is absolute; root / "usr/lib/..." keeps it inside the process's root, and
  // /proc/PID/root resolves it in the process's own mount namespace, not ours.
  struct stat st {};
  const fs::path file = root / fs::path(path).relative_path();
  if (::stat(file.c_str(), &st) != 0) return 0;
  return static_cast<std::uint64_t>(st.st_ino);
}

bool parse_pid(std::string_view name, int& pid) {
  auto [p, ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
  return ec == std::errc() && p == name.data() + name.size() && pid > 0;
}

std::string read_exe(const fs::path& link) {
  char buf[4096];
  const ssize_t n = ::readlink(link.c_str(), buf, sizeof buf - 1);
  return n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : std::string();
}

}  // namespace

std::vector<StaleFile> stale_files(const std::vector<MappedFile>& maps, const std::string& exe,
                                   const fs::path& root,
                                   const std::vector<std::string>& ignored_prefixes) {
  std::vector<StaleFile> out;
  std::string exe_path = exe;
  const bool exe_deleted = exe_path.ends_with(kDeletedSuffix);
  if (exe_deleted) exe_path.resize(exe_path.size() - kDeletedSuffix.size());
  if (exe_deleted && !exe_path.empty() && !is_ignored_mapping(exe_path, ignored_prefixes))
    out.push_back({exe_path, StaleReason::deleted});
  for (const auto& m : maps) {
    if (m.path == exe_path && exe_deleted) continue;  // already listed
    if (m.path != exe_path && !is_shared_library(m.path)) continue;
    if (is_ignored_mapping(m.path, ignored_prefixes)) continue;
    if (m.deleted) {
      out.push_back({m.path, StaleReason::deleted});
      continue;
    }
    const std::uint64_t now = current_inode(root, m.path);
    // Gone since the maps were read (a package upgrade mid-scan) reads as deleted next time.
    if (now != 0 && now != m.inode) out.push_back({m.path, StaleReason::replaced});
  }
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
    auto files = stale_files(maps, read_exe(dir / "exe"), dir / "root", options.ignored_prefixes);
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
