// One line of /var/log/dpkg.log, as dpkg writes it:
//   2024-05-01 10:00:00 upgrade libssl3:amd64 3.0.11-1~deb12u2 3.0.13-1~deb12u1
//   2024-05-01 10:00:01 install jq:amd64 <none> 1.6-2.1
//   2024-05-01 10:00:02 remove jq:amd64 1.6-2.1 <none>
// Only these three actions change what is installed; status, configure, trigproc, startup,
// conffile and purge lines (a purge follows its remove) are not patch events.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/result.h"
#include "core/events/patch_event.h"

namespace patchparty::dpkglog {

struct DpkgLogEntry {
  std::int64_t at = 0;  // unix seconds; dpkg writes the local time, read in this process's zone
  std::string action;   // "upgrade", "install", "remove"
  std::string package;
  std::string arch;         // "" on lines of old dpkg versions that wrote no ":arch"
  std::string old_version;  // "" for dpkg's "<none>"
  std::string new_version;  // "" for dpkg's "<none>"
};

// nullopt for a line that is not an upgrade, install or remove (including blank lines);
// invalid_argument for such a line that is malformed (bad time, missing fields, a version with
// a control character), which the follower reports and skips.
[[nodiscard]] Result<std::optional<DpkgLogEntry>> parse_dpkg_log_line(std::string_view line);

// The patch event of an entry, for a host whose packages are in `ecosystem` ("Debian:12").
// nullopt for a reinstall (the same version again). An "upgrade" line to an older version (apt
// install pkg=OLD writes one) becomes a downgrade by dpkg's ordering.
std::optional<events::PatchEvent> to_patch_event(const DpkgLogEntry& entry,
                                                 std::string_view ecosystem);

}  // namespace patchparty::dpkglog
