// libFuzzer entry for discovery's readers (Prometheus' targets answer, a file_sd file): every
// target they accept is an http(s) base URL without userinfo, path or whitespace.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/fleet_hosts/fleet_targets.h"

namespace {

void check(const std::vector<patchparty::fleet::FleetTarget>& targets) {
  for (const auto& t : targets) {
    const std::string_view u = t.url;
    const auto rest = u.starts_with("https://")  ? u.substr(8)
                      : u.starts_with("http://") ? u.substr(7)
                                                 : std::string_view();
    if (rest.empty() || rest.find_first_of("/@?# \t\r\n") != std::string_view::npos) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  if (auto t = patchparty::fleet::parse_prometheus_targets(json, "patchparty.*")) check(*t);
  if (auto t = patchparty::fleet::parse_file_sd(json)) check(*t);
  return 0;
}
