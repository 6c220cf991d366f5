// libFuzzer entry for the readers of a host's answers (backlog, findings, feeds): any bytes from
// the network. Besides "no crash", each refuses only with the codes it documents.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/fleet_hosts/host_documents.h"

namespace {

void check(const patchparty::Error& e) {
  if (e.code != patchparty::Errc::data_loss && e.code != patchparty::Errc::failed_precondition)
    std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  if (auto b = patchparty::fleet::parse_host_backlog(json); !b) check(b.error());
  if (auto f = patchparty::fleet::parse_host_findings(json); !f) check(f.error());
  if (auto f = patchparty::fleet::parse_host_feeds(json); !f) check(f.error());
  return 0;
}
