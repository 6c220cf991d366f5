#include "collectors/restart/kernel_check.h"

#include <sys/utsname.h>

#include "core/versions/dpkg_version.h"

namespace patchparty::restart {

namespace {

constexpr std::string_view kPrefix = "linux-image-";

// linux-image-6.1.0-26-amd64 -> 6.1.0-26-amd64; not the metapackages (linux-image-amd64),
// "unsigned" builds or debug symbols.
std::optional<std::string_view> release_of(std::string_view name) {
  if (!name.starts_with(kPrefix)) return std::nullopt;
  name.remove_prefix(kPrefix.size());
  if (name.empty() || name.front() < '0' || name.front() > '9' || name.ends_with("-dbg"))
    return std::nullopt;
  return name;
}

}  // namespace

std::optional<KernelStatus> kernel_status(std::string_view running,
                                          std::span<const Package> packages) {
  const Package* newest = nullptr;
  for (const Package& p : packages) {
    if (p.origin != "dpkg" || !release_of(p.name)) continue;
    if (newest == nullptr) {
      newest = &p;
      continue;
    }
    auto c = versions::dpkg_scheme().compare(p.version, newest->version);
    const int order = c ? *c : p.version.compare(newest->version);
    if (order > 0 || (order == 0 && p.name > newest->name)) newest = &p;
  }
  if (newest == nullptr) return std::nullopt;
  KernelStatus s;
  s.running = std::string(running);
  s.newest = std::string(*release_of(newest->name));
  s.outdated = s.running != s.newest;
  return s;
}

std::string running_kernel_release() {
  struct utsname u {};
  return ::uname(&u) == 0 ? std::string(u.release) : std::string();
}

}  // namespace patchparty::restart
