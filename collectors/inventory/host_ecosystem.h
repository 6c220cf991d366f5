// The OSV ecosystem a host's own packages are published under, and the advisory streams it
// takes beyond its release: os-release (or, on hosts too old to have one,
// /etc/system-release-cpe) gives the family and release; Ubuntu Pro's status file and the
// Red Hat stream (configured, or with "auto" the extended-stream repositories enabled in
// /etc/yum.repos.d/redhat.repo) give the rest. A host that maps to no ecosystem is an error naming
// why, never a silent empty inventory: every one of its packages would be reported clean.
#pragma once

#include <filesystem>
#include <string>

#include "collectors/inventory/os_release.h"
#include "config/config.h"
#include "core/base/result.h"

namespace patchparty::inventory {

struct HostEcosystem {
  std::string ecosystem;  // "Debian:12", "Ubuntu:Pro:22.04:LTS", "Red Hat:rhel_eus:9.2"
  std::string source;     // what told it: "os-release", "system-release-cpe", "configured"
};

// From the inventory configuration (root, os_release, ecosystem, ubuntu_pro, redhat_stream).
// Errc::not_found: nothing under the root names the distribution; Errc::failed_precondition: it is
// named but no OSV ecosystem publishes its advisories (Oracle Linux, Amazon Linux, CentOS, Fedora);
// Errc::invalid_argument: a release os-release writes in an unexpected form. Messages say what
// is missing; callers add how to give the ecosystem (inventory.ecosystem, --ecosystem).
[[nodiscard]] Result<HostEcosystem> host_ecosystem(const config::InventoryConfig& inventory);

// "Red Hat:enterprise_linux:7" from a CPE such as "cpe:/o:redhat:enterprise_linux:7:ga:server"
// or "cpe:/o:redhat:enterprise_linux:6server:ga:server"; not_found for another vendor's.
[[nodiscard]] Result<std::string> ecosystem_from_cpe(std::string_view cpe);

}  // namespace patchparty::inventory
