// PyPI versions as python's packaging.version.Version (23.x) parses and orders them (PEP 440).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/result.h"
#include "core/versions/version_scheme.h"

namespace patchparty::versions {

struct Pep440Version {
  // Numbers are decimal strings without leading zeros, so any length compares exactly.
  std::string epoch = "0";
  std::vector<std::string> release;
  std::optional<std::pair<std::string, std::string>> pre;  // "a", "b" or "rc"; number
  std::optional<std::string> post;
  std::optional<std::string> dev;
  // Lower-cased; an all-digit part is a number (and sorts above any word).
  std::optional<std::vector<std::string>> local;
};

// Accepts what packaging's VERSION_PATTERN accepts: "1.0-1" (implicit post), "1.0.post",
// "1.0c1" (= rc1), "1!2.0", "1.0+ubuntu.1", case and separators as PEP 440 normalises them.
// Legacy versions ("2013-01-21T20:33:09+0100") are invalid_argument, as packaging 22+ raises
// InvalidVersion. Letters that only match through Unicode case folding (U+017F for "s") and
// inputs over 1024 bytes are refused.
[[nodiscard]] Result<Pep440Version> parse_pep440(std::string_view text);

// <0, 0, >0 as packaging's _cmpkey orders: epoch, release without trailing zeros, pre (a dev
// release of a final sorts before its pre-releases), post, dev, local.
int compare_pep440(const Pep440Version& a, const Pep440Version& b);

const VersionScheme& pep440_scheme();

}  // namespace patchparty::versions
