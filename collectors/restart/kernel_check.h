// The running kernel against the newest installed kernel image package: an upgraded kernel is
// only used after a reboot, whether or not a package touched /run/reboot-required.
// Debian and Ubuntu naming only (linux-image-<release>, where <release> is what uname -r says).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/model/model.h"

namespace patchparty::restart {

struct KernelStatus {
  std::string running;  // uname -r
  std::string newest;   // release of the newest installed linux-image-<release> package
  bool outdated = false;
};

// nullopt when no kernel image package is installed (containers, other distributions). Newest is
// by package version (dpkg order), then by release name.
std::optional<KernelStatus> kernel_status(std::string_view running,
                                          std::span<const Package> packages);

std::string running_kernel_release();

}  // namespace patchparty::restart
