// OSV records are the largest untrusted input: no crash, and what parses must survive the trip
// through the store's writer and parse back to the same ids and package names.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/record/osv_record.h"
#include "core/record/osv_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view json(reinterpret_cast<const char*>(data), size);
  auto a = patchparty::feeds::parse_osv_record(json);
  if (!a) {
    auto c = a.error().code;
    if (c != patchparty::Errc::data_loss && c != patchparty::Errc::invalid_argument) std::abort();
    return 0;
  }
  auto again = patchparty::feeds::parse_osv_record(patchparty::feeds::to_osv_json(*a));
  if (!again || again->id != a->id || again->affected.size() != a->affected.size() ||
      again->aliases != a->aliases)
    std::abort();
  for (std::size_t i = 0; i < a->affected.size(); ++i) {
    if (again->affected[i].name != a->affected[i].name ||
        again->affected[i].ranges.size() != a->affected[i].ranges.size() ||
        again->affected[i].fix_status != a->affected[i].fix_status)
      std::abort();
  }
  return 0;
}
