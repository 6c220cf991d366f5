// libFuzzer entry for parse_openvex: any bytes. Besides "no crash", it checks what the parser
// promises its callers: statuses and justifications are in the OpenVEX vocabulary, a suppressing
// statement names at least one package, and a failure is one invalid_argument error.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/suppress/openvex.h"
#include "core/suppress/suppressions_yaml.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace patchparty::suppress;
  using patchparty::Purl;
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  auto statements = parse_openvex(json, "fuzz.json");
  if (!statements) {
    if (statements.error().code != patchparty::Errc::invalid_argument ||
        statements.error().message.empty())
      std::abort();
    return 0;
  }
  for (const VexStatement& s : *statements) {
    if (s.vulnerability.empty() || s.where.empty() || !is_vex_status(s.status)) std::abort();
    if (!s.justification.empty() &&
        (!is_vex_justification(s.justification) || s.status != "not_affected"))
      std::abort();
    if (s.suppresses() && s.products.empty()) std::abort();
    for (const Purl& p : s.products)
      if (p.type.empty() || p.name.empty()) std::abort();
  }
  return 0;
}
