// libFuzzer entry for the purl functions: any bytes, read as one purl and, so that JSON documents
// full of purls (SBOMs, VEX, OSV records) make good seeds, also every "pkg:" in them up to the
// next quote, space or comma. For each purl it checks what the functions promise:
//   - parse_purl gives a lower-case type and a name;
//   - package_from_purl gives a package with printable fields, or a printable reason;
//   - the purl names the package made of it (purl_matches), and purl_of of that package parses
//     back into the same package: ecosystem, version, arch and source the same, the name the
//     same up to the case and '_' folding the purl spec asks for PyPI and Composer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/model/purl.h"
#include "tests/fuzz/reader_promises.h"

namespace {

using patchparty::Package;
using patchparty::fuzz::ascii_word;

bool printable(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  return true;
}

std::string folded(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c == '_') c = '-';
  }
  return s;
}

void check(std::string_view text) {
  auto purl = patchparty::parse_purl(text);
  if (!purl) return;
  if (purl->type.empty() || purl->name.empty()) std::abort();
  for (char c : purl->type)
    if (c >= 'A' && c <= 'Z') std::abort();

  std::string why;
  auto package = patchparty::package_from_purl(*purl, why);
  if (!package) {
    if (why.empty() || !printable(why) || why.size() > 1000) std::abort();
    return;
  }
  const Package& p = *package;
  if (p.ecosystem.empty() || p.name.empty() || p.version.empty() || !ascii_word(p.name) ||
      !ascii_word(p.version) || !ascii_word(p.arch) || p.source_name.empty() ||
      !ascii_word(p.source_name) || p.source_version.empty() || !ascii_word(p.source_version))
    std::abort();
  if (!patchparty::purl_matches(*purl, p)) std::abort();

  const std::string again_text = patchparty::purl_of(p);
  auto again = patchparty::parse_purl(again_text);
  if (!again || !patchparty::purl_matches(*again, p)) std::abort();
  auto back = patchparty::package_from_purl(*again, why);
  if (!back) std::abort();
  if (back->ecosystem != p.ecosystem || back->version != p.version || back->arch != p.arch ||
      back->source_version != p.source_version)
    std::abort();
  const bool folds = p.ecosystem == "PyPI" || p.ecosystem == "Packagist";
  if (folds ? folded(back->name) != folded(p.name) : back->name != p.name) std::abort();
  if (folds ? folded(back->source_name) != folded(p.source_name)
            : back->source_name != p.source_name)
    std::abort();
  // Canonical means stable: writing the package read back gives the same text.
  if (patchparty::purl_of(*back) != again_text) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  check(input);
  for (auto at = input.find("pkg:"); at != std::string_view::npos;
       at = input.find("pkg:", at + 1)) {
    const auto end = input.find_first_of("\"' \t\r\n,", at);
    check(input.substr(at, end == std::string_view::npos ? input.npos : end - at));
  }
  return 0;
}
