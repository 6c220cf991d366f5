// The reading side of NVD's CVE API 2.0 (GET https://services.nvd.nist.gov/rest/json/cves/2.0):
// one response page into CVSS scores per CVE, the 120-day windows and page queries that walk a
// lastModified range, and the choice of the score a finding without its own gets. No I/O beyond
// read_nvd_page; nothing here fetches.
//
// What this relies on, from NVD's response schema (cve_api_json_2.0.schema, as transcribed in
// kannkyo/nvd-api schemas/cve.oas.yml) and https://nvd.nist.gov/developers/vulnerabilities:
//   - the page: required resultsPerPage, startIndex, totalResults (integers), format ("NVD_CVE"),
//     version ("2.0"), timestamp (date-time) and vulnerabilities (array of {"cve": {...}});
//   - a cve: required id (pattern ^CVE-[0-9]{4}-[0-9]{4,}$) and lastModified (date-time, written
//     by NVD without a zone: "2024-02-14T20:15:46.330"); optional vulnStatus ("Analyzed",
//     "Rejected", ...) and metrics;
//   - metrics.cvssMetricV31 / cvssMetricV30 / cvssMetricV2: arrays of {source, type, cvssData}
//     (all three required), type one of "Primary" | "Secondary"; cvssData requires version
//     ("3.1" / "3.0" / "2.0"), vectorString and baseScore (number in [0, 10]). v3's baseSeverity
//     sits inside cvssData, v2's beside it. cvssMetricV40 (newer responses) is not read: the
//     project does not score v4.0 vectors (core/record/cvss.h);
//   - paging: startIndex is 0-based, resultsPerPage is at most 2000; lastModStartDate and
//     lastModEndDate come together, span at most 120 consecutive days, and are written
//     [YYYY]-[MM]-[DD]T[HH]:[MM]:[SS][.SSS][offset], a "+" in the offset sent as "%2B" (NVD's
//     own example: lastModStartDate=2021-08-04T13:00:00.000%2B01:00).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"

namespace patchparty::feeds {

// A full page of 2000 CVEs with their CPE configurations is some tens of MB.
inline constexpr std::size_t kMaxNvdPageBytes = 256u << 20;
// NVD refuses a larger resultsPerPage with HTTP 400.
inline constexpr int kMaxNvdResultsPerPage = 2000;
// NVD refuses a lastModStartDate..lastModEndDate span longer than this.
inline constexpr std::int64_t kMaxNvdWindowSeconds = 120 * 86400;
// Enough to tell one broken CVE from a changed schema without a page-sized log line.
inline constexpr std::size_t kMaxNvdSkipReasons = 5;

struct NvdCvss {
  std::string version;    // "3.1", "3.0" or "2.0": the array it came from, checked against cvssData
  std::string source;     // "nvd@nist.gov" for NVD's own; a CNA's address or UUID otherwise
  std::string type;       // "Primary" (the NVD's assessment) or "Secondary" (another source's)
  double base_score = 0;  // as published, agreeing with the vector to within 0.05
  std::string vector;     // "CVSS:3.1/AV:N/...", or v2's bare "AV:N/AC:L/..."
  std::string severity;   // "HIGH", ... as published (v3: cvssData.baseSeverity); may be empty
};

struct NvdCve {
  std::string id;                // "CVE-2024-12345"
  std::string last_modified;     // as published, "2024-02-14T20:15:46.330"
  std::string status;            // vulnStatus, kept as is ("Rejected" included); may be empty
  std::vector<NvdCvss> metrics;  // v3.1 entries, then v3.0, then v2, each in document order
};

struct NvdPage {
  std::int64_t results_per_page = 0;
  std::int64_t start_index = 0;
  std::int64_t total_results = 0;
  std::string timestamp;                  // when NVD answered, as published
  std::vector<NvdCve> cves;               // the CVEs that passed every check, in page order
  std::int64_t skipped = 0;               // entries of "vulnerabilities" left out
  std::vector<std::string> skip_reasons;  // the first kMaxNvdSkipReasons, naming the entry
};

// One response page. `label` names the page in messages (a file, or the query).
// Errors: data_loss when the bytes are not JSON (or not UTF-8), naming the byte offset;
// failed_precondition when "format" or "version" is a string other than "NVD_CVE" / "2.0" (a
// different API or a schema we do not know: fix the code, do not retry); invalid_argument when
// the page itself breaks the schema: not an object, a required page member missing or of the
// wrong type, a negative count, or more entries than resultsPerPage or than totalResults leaves
// room for. A CVE that breaks the schema or the checks below is skipped and counted, so one bad
// record does not cost the page: an entry without a "cve" object, an id that is not
// "CVE-YYYY-NNNN+", a missing or malformed lastModified, a metric whose type is not Primary or
// Secondary, whose cvssData.version does not match its array, whose baseScore is outside
// [0, 10], whose vector core/record/cvss.h cannot score as that version, or whose computed base
// score differs from baseScore by more than 0.05. Rejected CVEs are kept with their status.
[[nodiscard]] Result<NvdPage> parse_nvd_page(std::string_view json, std::string_view label);

// The file at `path` (at most kMaxNvdPageBytes), then parse_nvd_page labelled with the path.
[[nodiscard]] Result<NvdPage> read_nvd_page(const std::filesystem::path& path);

// The score a finding without its own gets: the newest CVSS version present (3.1, then 3.0,
// then 2.0), and within it NVD's Primary metric over a Secondary one, the first of equals in
// page order. Version comes first because v2 scores run on another formula and NVD stopped
// assigning them in 2022, while since NVD's 2024 backlog many CVEs carry only a CNA's v3.1:
// NVD's own v2 would then be the staler opinion. Within a version, the Primary score is the one
// NVD's analysts assessed against its own guidance; a CNA's sometimes differs (it knows the
// product, or scores the worst case), which is why distinct_scores keeps it. nullopt without
// metrics.
std::optional<NvdCvss> preferred_score(const NvdCve& cve);

// preferred_score first, then for every other source its own preferred metric (newest version,
// Primary first) when that base score differs from the preferred one; in the order of
// `cve.metrics`. Empty without metrics.
std::vector<NvdCvss> distinct_scores(const NvdCve& cve);

// One lastModStartDate..lastModEndDate range, in unix seconds, both ends included by NVD.
struct NvdWindow {
  std::int64_t start_unix = 0;
  std::int64_t end_unix = 0;
};

// [from, to] as consecutive windows of at most kMaxNvdWindowSeconds; each window starts where
// the previous one ends, since NVD includes both ends: a CVE modified on an edge comes twice
// (harmless for an upsert) rather than never. One window when from == to; none when from > to.
std::vector<NvdWindow> nvd_windows(std::int64_t from_unix, std::int64_t to_unix);

// "lastModStartDate=2024-01-01T00:00:00.000%2B00:00&lastModEndDate=...&startIndex=N&
// resultsPerPage=M": UTC with milliseconds and an explicit offset, as NVD documents.
// results_per_page is held to [1, kMaxNvdResultsPerPage] and start_index to >= 0.
std::string nvd_page_query(const NvdWindow& window, std::int64_t start_index, int results_per_page);

// startIndex of the page after `page` in the same window, or -1 when `page` was the last: it
// reached totalResults, or held no entries (NVD's count moved under us; paging on would loop).
// Skipped entries count as read.
std::int64_t next_start_index(const NvdPage& page);

}  // namespace patchparty::feeds
