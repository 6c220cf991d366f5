#include "collectors/restart/reboot_required.h"

#include <sys/stat.h>

#include <algorithm>

#include "collectors/restart/proc_file.h"
#include "core/base/bounded_file.h"

namespace patchparty::restart {

RebootFlag read_reboot_flag(const std::filesystem::path& root) {
  RebootFlag flag;
  const auto file = under_root(root, "/run/reboot-required");
  struct stat st {};
  flag.required = ::lstat(file.c_str(), &st) == 0;
  if (!flag.required) return flag;
  std::string text;
  if (read_proc_file(file.string() + ".pkgs", 64 << 10, text) != ReadStatus::ok) return flag;
  std::string_view rest(text);
  while (!rest.empty() && flag.packages.size() < 1000) {
    const auto nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
    if (line.empty()) continue;
    if (std::find(flag.packages.begin(), flag.packages.end(), line) == flag.packages.end())
      flag.packages.emplace_back(line);
  }
  return flag;
}

}  // namespace patchparty::restart
