// The Debian security tracker's JSON export
// (https://security-tracker.debian.org/tracker/data/json):
//   {source-package: {CVE-id: {description, scope, debianbug,
//                              releases: {codename: {status, repositories, fixed_version,
//                                                    urgency, nodsa, nodsa_reason}}}}}
// The export is about 70 MB, so it is read with a SAX parser: memory holds one CVE entry of one
// package at a time, never the document.
//
// One Advisory per (source package, CVE): id the CVE (or TEMP-…) id, feed "debian-tracker",
// summary the description, one Affected per kept release (ecosystem from debian_releases.h, name
// the source package):
//   resolved, fixed_version "0"   → the release never had the bug: no Affected (not_affected)
//   resolved, fixed_version V     → fixed, ECOSYSTEM range {introduced "0", fixed V}
//   urgency "end-of-life"         → end_of_life (the release is out of security support)
//   undetermined                  → undetermined
//   open, nodsa_reason postponed  → postponed;  ignored → ignored;  other nodsa → no_dsa
//   open                          → unfixed
// Every status but fixed carries the range {introduced "0"}: all versions are affected.
// Urgencies become Severity{"urgency", <urgency>}, one per distinct value over the kept releases
// ("end-of-life" is a support state, not a severity, and is left out).
// A CVE with no kept release emits nothing.
#pragma once

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

inline constexpr std::string_view kDebianTrackerFeed = "debian-tracker";
// The export grows by a few MB a year; this leaves room while refusing a runaway download.
inline constexpr std::uint64_t kMaxDebianTrackerBytes = 1ull << 30;
// No single key or string in the export comes near this; a longer one is refused rather than
// buffered, which is what keeps the parser's memory bounded.
inline constexpr std::size_t kMaxDebianTrackerTokenBytes = 1u << 20;

struct DebianTrackerOptions {
  std::vector<std::string> releases;  // codenames to keep ("bookworm"); empty: every known one
  ProgressFn progress;                // bytes parsed, total bytes (0 when unknown)
};

struct DebianTrackerStats {
  std::uint64_t records = 0;       // advisories handed to the sink
  std::uint64_t packages = 0;      // source packages seen
  std::uint64_t cves = 0;          // (package, CVE) entries seen
  std::uint64_t affected = 0;      // Affected entries emitted
  std::uint64_t not_affected = 0;  // releases resolved with fixed_version "0"
  std::uint64_t filtered = 0;      // releases left out by options.releases
  std::uint64_t skipped = 0;       // releases with an unknown codename or unusable values
  std::uint64_t empty = 0;         // entries with no kept release, so nothing was emitted
  std::uint64_t bytes = 0;         // input bytes parsed
  std::vector<std::string> skipped_examples;  // the first few skip reasons, for the log
};

// Errors: data_loss naming the byte offset when the bytes are not JSON or the structure is not
// the tracker's (an entry that is not an object, a status that is not a string); unknown fields
// are ignored. resource_exhausted for a file over kMaxDebianTrackerBytes or a token over
// kMaxDebianTrackerTokenBytes; invalid_argument for an unknown codename in options.releases.
// A sink error stops the read and is returned as is.
[[nodiscard]] Result<DebianTrackerStats> read_debian_tracker(
    const std::filesystem::path& file, const DebianTrackerOptions& options,
    const std::function<Result<>(Advisory&&)>& sink);

// The same over bytes in memory (tests, fuzzing).
[[nodiscard]] Result<DebianTrackerStats> parse_debian_tracker(
    std::string_view json, const DebianTrackerOptions& options,
    const std::function<Result<>(Advisory&&)>& sink);

// "debian-tracker": the security tracker's JSON, kept to the `only` releases
// (register_builtin_feeds).
FeedKind debian_tracker_feed_kind();

}  // namespace patchparty::feeds
