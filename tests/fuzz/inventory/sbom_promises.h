// What both SBOM readers promise their callers, as their fuzz harnesses check it.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <tuple>

#include "collectors/inventory/cyclonedx_sbom.h"
#include "core/model/purl.h"
#include "tests/fuzz/reader_promises.h"

namespace patchparty::fuzz {

inline bool printable(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  return true;
}

// Every package is a usable, unique one of this file; every unusable entry is counted, and the
// first kMaxUnusableListed are listed, printable.
inline void check_sbom(const inventory::SbomResult& r, std::string_view origin,
                       std::string_view label) {
  std::set<std::tuple<std::string, std::string, std::string, std::string>> seen;
  for (const Package& p : r.packages) {
    if (p.ecosystem.empty() || p.name.empty() || p.version.empty() || !ascii_word(p.name) ||
        !ascii_word(p.version) || !ascii_word(p.arch) || !ascii_word(p.source_name) ||
        !ascii_word(p.source_version) || p.source_name.empty() || p.source_version.empty())
      std::abort();
    if (p.origin != origin || p.project != "fuzz" || p.location != label) std::abort();
    if (!seen.emplace(p.ecosystem, p.name, p.version, p.arch).second) std::abort();
    // Each package is what its purl names, so VEX statements about that purl match it.
    auto purl = parse_purl(purl_of(p));
    if (!purl || !purl_matches(*purl, p)) std::abort();
  }
  constexpr std::size_t kMax = inventory::kMaxUnusableListed;
  const std::size_t listed = r.without_purl <= kMax ? r.without_purl : kMax + 1;
  if (r.unusable.size() != listed) std::abort();
  for (const auto& line : r.unusable)
    if (line.empty() || !printable(line)) std::abort();
}

}  // namespace patchparty::fuzz
