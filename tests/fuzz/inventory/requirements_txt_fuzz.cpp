// libFuzzer entry for parse_requirements_txt: any bytes. Besides "no crash", it checks what the
// parser promises its callers.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "collectors/inventory/requirements_txt.h"
#include "tests/fuzz/reader_promises.h"

namespace {

bool has_control(std::string_view s) {
  for (char c : s)
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f) return true;
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using patchparty::fuzz::ascii_word;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<patchparty::inventory::RequirementsInclude> includes;
  auto result =
      patchparty::inventory::parse_requirements_txt(text, "fuzz", "requirements.txt", &includes);
  if (!result) {
    // Only binary content is refused; every text is some set of lines.
    if (result.error().code != patchparty::Errc::data_loss) std::abort();
    return 0;
  }
  for (const auto& p : result->packages) {
    if (p.name.empty() || !ascii_word(p.name) || p.version.empty() || !ascii_word(p.version))
      std::abort();
    if (p.ecosystem != "PyPI" || p.origin != "requirements" || p.project != "fuzz" ||
        p.location != "requirements.txt" || p.source_name != p.name ||
        p.source_version != p.version)
      std::abort();
  }
  for (const auto& line : result->not_pinned)
    if (!std::string_view(line).starts_with("requirements.txt:") || has_control(line)) std::abort();
  for (const auto& include : includes)
    if (include.path.empty() || include.line == 0 || has_control(include.path)) std::abort();
  return 0;
}
