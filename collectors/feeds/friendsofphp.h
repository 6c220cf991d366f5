// The FriendsOfPHP security-advisories database (https://github.com/FriendsOfPHP/
// security-advisories): one YAML file per advisory at <vendor>/<package>/<name>.yaml.
//
// Mapping into an Advisory:
// - id: the "cve" field when it holds one; otherwise the stable id
//   "FRIENDSOFPHP-<vendor>/<package>/<file stem>", the file's path in the database without its
//   extension, which the database never reuses. When the CVE is the id, the stable id is an alias,
//   so the same advisory can be found either way. A file named for a GitHub advisory
//   ("GHSA-2jx3-65f3-xr8r.yaml") adds that id as an alias. Note that one CVE is often filed once
//   per affected package (CVE-2015-5723 under four doctrine packages): the id is not unique
//   within the feed, the stable id is.
// - feed "friendsofphp"; summary = title; references = [ADVISORY link]; a non-default
//   "composer-repository" URL is kept as a PACKAGE reference.
// - one Affected, ecosystem "Packagist", name = the "composer://vendor/package" reference (lower
//   case, as Packagist compares names), or the file's vendor/package folders when the reference
//   is missing or malformed.
// - native_ranges: one Composer constraint per branch, its "versions" joined with "," (AND);
//   branches are alternatives (OR).
// - ranges: an ECOSYSTEM range per branch whose constraints are only simple bounds: ">=X" gives
//   introduced X (no lower bound: introduced "0"), "<Y" gives fixed Y, "<=Y" last_affected Y.
//   A branch with a ">X" lower bound has no OSV equivalent (OSV has no exclusive start), so it
//   keeps only its native range, as does any branch with another operator.
// - fix_status: fixed when every branch has an upper bound ("<" or "<="), else unfixed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/feeds/feed_kind.h"
#include "collectors/feeds/fetcher.h"
#include "core/base/result.h"
#include "core/model/model.h"

namespace patchparty::feeds {

// The largest real advisory is under 3 KB.
inline constexpr std::size_t kMaxFriendsOfPhpFileBytes = 256u << 10;
// Nesting bound checked before yaml-cpp sees the text: its parser recurses once per level.
inline constexpr int kMaxFriendsOfPhpNesting = 32;

// Parses one advisory. `path` is the file's path inside the database ("symfony/http-kernel/
// CVE-2019-18887.yaml", optionally below one top folder); it names the file in errors and gives
// the stable id and the fallback package name.
// Errors: data_loss when the text is not YAML (a cut or corrupt file); invalid_argument when it
// is YAML but not an advisory (no branches, a version that is not a string, no package name...)
// or nests deeper than kMaxFriendsOfPhpNesting; resource_exhausted over
// kMaxFriendsOfPhpFileBytes.
[[nodiscard]] Result<Advisory> parse_friendsofphp_advisory(std::string_view yaml,
                                                           std::string_view path);

struct FriendsOfPhpReadStats {
  std::uint64_t advisories = 0;               // handed to the sink
  std::uint64_t skipped = 0;                  // YAML that is not a valid advisory
  std::uint64_t bytes = 0;                    // input bytes read (compressed size for a zip)
  std::vector<std::string> skipped_examples;  // the first few reasons, for the log
};

struct FriendsOfPhpReadOptions {
  ProgressFn progress;
};

// `path` is a checkout of the database (a directory), a zip of it (GitHub's archive, whose
// members sit under one top folder such as "security-advisories-master/", or a zip without
// one), or a single advisory file. Only <vendor>/<package>/<name>.yaml files are read, so
// .github/, the README and the validator scripts are passed over. Malformed YAML, a corrupt zip
// or an oversized file stops the read with an error naming the file; the caller rolls back. A
// sink error stops the read too.
[[nodiscard]] Result<FriendsOfPhpReadStats> read_friendsofphp(
    const std::filesystem::path& path, const FriendsOfPhpReadOptions& options,
    const std::function<Result<>(Advisory&&)>& sink);

// "friendsofphp": the security-advisories repository's zip or folder (register_builtin_feeds).
FeedKind friendsofphp_feed_kind();

}  // namespace patchparty::feeds
