// Alpine secdb (https://secdb.alpinelinux.org/<version>/<repo>.json):
//   {"distroversion": "v3.19", "reponame": "main",
//    "packages": [{"pkg": {"name": "aom", "secfixes": {"3.1.1-r0": ["CVE-2021-30473", …]}}}]}
// secfixes maps the first fixed version of the origin (source) package to the ids it fixes.
//
// One Advisory per (package, id): id the first word of the secfixes string ("CVE-2021-27219
// GHSL-2021-045" → id "CVE-2021-27219", alias "GHSL-2021-045"; "ALPINE-13661" stays the id),
// feed "alpine-secdb", one Affected: ecosystem "Alpine:" + distroversion, name the package,
// fixed, ECOSYSTEM range {introduced "0", fixed <version key>}. When one id is listed under
// several versions of a package (a first fix that was incomplete), the Affected has one range
// per version; ranges are alternatives, so the highest fix wins without comparing versions here.
// The version key "0" means the branch never shipped the bug (Trivy and Grype read it so): those
// ids are skipped and counted, not emitted.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/feeds/feed_kind.h"
#include "core/base/result.h"
#include "core/model/model.h"

namespace patchparty::feeds {

inline constexpr std::string_view kAlpineSecdbFeed = "alpine-secdb";
// Published files are a few hundred KB; the whole document is parsed at once, so cap it.
inline constexpr std::size_t kMaxAlpineSecdbBytes = 32u << 20;

struct AlpineSecdbStats {
  std::uint64_t records = 0;                  // advisories handed to the sink
  std::uint64_t packages = 0;                 // package entries seen
  std::uint64_t fixes = 0;                    // (version key, id string) pairs seen
  std::uint64_t not_affected = 0;             // id strings under the version key "0"
  std::uint64_t skipped = 0;                  // unusable names, versions or ids
  std::vector<std::string> skipped_examples;  // the first few skip reasons, for the log
};

// Errors: data_loss naming the byte offset for bytes that are not JSON, or naming the element
// for JSON that is not secdb's shape (no "packages" array, a secfixes value that is not an
// array of strings…); resource_exhausted over kMaxAlpineSecdbBytes. A sink error stops the
// parse and is returned as is.
[[nodiscard]] Result<AlpineSecdbStats> parse_alpine_secdb(
    std::string_view json, const std::function<Result<>(Advisory&&)>& sink);

[[nodiscard]] Result<AlpineSecdbStats> read_alpine_secdb(
    const std::filesystem::path& file, const std::function<Result<>(Advisory&&)>& sink);

// "alpine-secdb": one repository's secdb JSON (register_builtin_feeds).
FeedKind alpine_secdb_feed_kind();

}  // namespace patchparty::feeds
