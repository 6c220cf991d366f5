// Debian's and Ubuntu's reboot flag: a package's postinst (update-notifier-common's
// /usr/share/update-notifier/notify-reboot-required, used by libc6, linux-image-*, dbus, ...)
// touches /run/reboot-required and appends its name to /run/reboot-required.pkgs. The same
// file node_exporter's textfile recipe turns into node_reboot_required.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace patchparty::restart {

struct RebootFlag {
  bool required = false;
  std::vector<std::string> packages;  // distinct, in file order; at most 1000
};

// Reads <root>/run/reboot-required and <root>/run/reboot-required.pkgs.
RebootFlag read_reboot_flag(const std::filesystem::path& root);

}  // namespace patchparty::restart
