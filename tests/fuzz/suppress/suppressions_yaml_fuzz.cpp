// libFuzzer entry for parse_suppressions_yaml: any bytes. Besides "no crash", it checks what the
// parser promises its callers: every rule has an id, a reason and a location, OpenVEX words are
// in the vocabulary, and a failure is one invalid_argument error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/suppress/suppressions_yaml.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace patchparty::suppress;
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  auto rules = parse_suppressions_yaml(yaml, "fuzz.yml");
  if (!rules) {
    if (rules.error().code != patchparty::Errc::invalid_argument || rules.error().message.empty())
      std::abort();
    return 0;
  }
  for (const Rule& r : *rules) {
    if (r.id.empty() || r.reason.empty() || r.where.rfind("fuzz.yml:", 0) != 0) std::abort();
    if (!r.vex_status.empty() && !is_vex_status(r.vex_status)) std::abort();
    if (!r.vex_justification.empty() &&
        (!is_vex_justification(r.vex_justification) || r.vex_status != "not_affected"))
      std::abort();
  }
  return 0;
}
