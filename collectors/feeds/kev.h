// CISA's Known Exploited Vulnerabilities catalogue (known_exploited_vulnerabilities.json) into
// KevEntry values. The catalogue is taken whole or not at all: half a KEV list would quietly
// lower the risk of every CVE missing from it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "collectors/feeds/feed_kind.h"
#include "core/base/result.h"
#include "core/model/model.h"

namespace patchparty::feeds {

// The published catalogue is about 1.3 MB; anything near this cap is not the catalogue.
inline constexpr std::size_t kMaxKevBytes = 64u << 20;

struct KevCatalog {
  std::string catalog_version;  // "2025.08.25"
  std::string date_released;    // RFC 3339 as published
  std::uint64_t count = 0;      // entries handed to the sink
  std::uint64_t known_ransomware = 0;
};

using KevSink = std::function<Result<>(KevEntry&&)>;

// "CVE-YYYY-NNNN" with 4 to 19 digits after the year, the pattern of CISA's KEV schema and of
// the CVE program's id syntax.
bool is_cve_id(std::string_view s);

// Errors: data_loss when the bytes are not JSON or "count" disagrees with the number of entries
// (a cut or tampered download); invalid_argument when the JSON is not a KEV catalogue or an entry
// breaks the schema (no cveID, a malformed id or date, a field of the wrong type), naming the
// entry. Any error stops the parse; entries already handed to the sink belong to a refresh that
// the caller rolls back. A sink error is returned as is.
[[nodiscard]] Result<KevCatalog> parse_kev(std::string_view json, const KevSink& sink);

// The file at `path` (at most kMaxKevBytes), then parse_kev; errors name the file.
[[nodiscard]] Result<KevCatalog> read_kev(const std::filesystem::path& path, const KevSink& sink);

// "kev": CISA's catalog, into the KEV sink (register_builtin_feeds).
FeedKind kev_feed_kind();

}  // namespace patchparty::feeds
