// The Debian security tracker's advisory lists, data/DSA/list, data/DLA/list and data/DTSA/list:
//   [20 Sep 2014] DSA-3029-1 nginx - security update
//   	{CVE-2014-3616}
//   	[wheezy] - nginx 1.2.1-2.2+wheezy3
// One Advisory per entry: id the DSA/DLA/DTSA id, aliases the CVEs, published the date as
// YYYY-MM-DD, summary the header text after the id ("nginx - security update", as OSV's Debian
// records have it: the title alone, "security update", names nothing), one Affected per release
// line (ecosystem from debian_releases.h, name the package of that line):
//   a version V       → fixed, ECOSYSTEM range {introduced "0", fixed V}
//   <not-affected>    → no Affected (counted)
//   <unfixed>         → unfixed, range {introduced "0"}
//   <end-of-life>     → end_of_life, range {introduced "0"}
//   <no-dsa>, <postponed>, <ignored> (as in the CVE list) → no_dsa, postponed, ignored
// DTSA lines add an urgency, "(high)" or "(bug #327452; medium)": it becomes
// Severity{"urgency", …}. Entries without release lines (announcements) are still emitted.
//
// Tolerated as upstream writes them: continuation lines indented by a TAB, 8 spaces or any mix
// of blanks; ids without revision ("DSA-135"); DTSA dates "[August 26th, 2005]"; headers
// without " - title", with "--", several packages or none; "{ CVE-… }" with inner blanks;
// NOTE: lines (ignored). Reading is line by line, so memory is one entry.
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

inline constexpr std::string_view kDebianDsaListFeed = "debian-dsa-list";
inline constexpr std::size_t kMaxDsaListLineBytes = 64u << 10;
inline constexpr std::size_t kMaxDsaListEntryBytes = 1u << 20;
inline constexpr std::uint64_t kMaxDsaListBytes = 256ull << 20;

struct DsaListOptions {
  std::vector<std::string> releases;  // codenames to keep; empty: every known one
  ProgressFn progress;                // bytes read, total bytes
};

struct DsaListStats {
  std::uint64_t records = 0;       // entries handed to the sink
  std::uint64_t affected = 0;      // Affected entries emitted
  std::uint64_t not_affected = 0;  // <not-affected> release lines
  std::uint64_t filtered = 0;      // release lines left out by options.releases
  std::uint64_t skipped = 0;       // lines that could not be used (unknown release, no version…)
  std::uint64_t notes = 0;         // NOTE: lines
  std::uint64_t lines = 0;
  std::vector<std::string> skipped_examples;  // the first few skip reasons, with line numbers
};

// Errors: data_loss naming the line for a header that cannot be read (no date, no id) or a
// continuation line before the first header; resource_exhausted for a line over
// kMaxDsaListLineBytes or an entry over kMaxDsaListEntryBytes; invalid_argument for an unknown
// codename in options.releases. A sink error stops the parse and is returned as is.
[[nodiscard]] Result<DsaListStats> parse_dsa_list(std::string_view text,
                                                  const DsaListOptions& options,
                                                  const std::function<Result<>(Advisory&&)>& sink);
[[nodiscard]] Result<DsaListStats> parse_dsa_list(std::string_view text,
                                                  const std::function<Result<>(Advisory&&)>& sink);

// A list file, read line by line (over kMaxDsaListBytes is resource_exhausted).
[[nodiscard]] Result<DsaListStats> read_dsa_list(const std::filesystem::path& file,
                                                 const DsaListOptions& options,
                                                 const std::function<Result<>(Advisory&&)>& sink);

// "debian-dsa-list": the DSA/DLA/DTSA lists, kept to the `only` releases (register_builtin_feeds).
FeedKind debian_dsa_list_feed_kind();

}  // namespace patchparty::feeds
