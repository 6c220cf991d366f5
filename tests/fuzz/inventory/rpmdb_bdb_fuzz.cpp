// libFuzzer entry for the Berkeley DB hash reader: any bytes as an rpm `Packages` file, each
// record's blob then parsed as a header, as RpmDb::scan does. Besides "no crash, no hang", it
// checks what the reader promises: a failure is data_loss or failed_precondition, and every
// record handed out lies within the input's size.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/inventory/rpm_db.h"
#include "collectors/inventory/rpmdb_bdb.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using patchparty::Errc;
  const std::string_view file(reinterpret_cast<const char*>(data), size);
  std::size_t total = 0;
  auto r = patchparty::inventory::read_bdb_hash_packages(
      file, [&](std::uint32_t, std::string_view blob) -> patchparty::Result<> {
        // Each page's bytes reach at most one record.
        total += blob.size();
        if (total > size) std::abort();
        auto header = patchparty::inventory::parse_rpm_header(blob);
        if (!header && header.error().code != Errc::data_loss) std::abort();
        return {};
      });
  if (!r && r.error().code != Errc::data_loss && r.error().code != Errc::failed_precondition)
    std::abort();
  return 0;
}
