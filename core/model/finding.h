// A finding: one installed package affected by one vulnerability (an alias set), with everything
// the party needs to rank it and everything the store needs to keep its history.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/model/model.h"

namespace patchparty {

// Ordered: a larger value is more severe.
enum class SeverityLevel { unknown, low, medium, high, critical };

std::string_view severity_name(SeverityLevel s);  // "unknown", "low", ..., "critical"
std::optional<SeverityLevel> parse_severity_name(std::string_view name);
// CVSS v3/v4 qualitative rating of a base score (0.1-3.9 low ... 9.0-10 critical); 0 is unknown.
SeverityLevel severity_from_cvss(double base_score);
// Labels as feeds publish them: GHSA "CRITICAL"/"HIGH"/"MODERATE"/"LOW", Debian urgency
// "high"/"medium"/"low"/"unimportant", Ubuntu priorities. Unknown labels are unknown.
SeverityLevel severity_from_label(std::string_view label);

std::string_view fix_status_name(FixStatus s);  // "fixed", "no-dsa", "end-of-life", ...
std::optional<FixStatus> fix_status_from_name(std::string_view name);

// The suppression that covers a finding, if any (see core/suppress/).
struct SuppressionMatch {
  std::string rule;    // where it comes from: "suppressions.yml:12" or an OpenVEX statement id
  std::string reason;  // why, as written
  std::string vex_status, vex_justification;  // OpenVEX vocabulary when given
  std::optional<std::int64_t> expires;        // unix seconds
  bool expired = false;  // the rule matched but has expired: the finding is active again
};

struct Finding {
  std::string host;
  std::string project;  // empty for host packages
  Package package;
  std::string vulnerability;            // primary id of the alias set (CVE first)
  std::vector<std::string> aliases;     // every other id of the set, sorted
  std::vector<std::string> advisories;  // ids of the advisory records that matched, sorted
  std::vector<std::string> feeds;       // feeds those records came from
  std::string fixed_version;            // the lowest version that fixes it; empty: none known
  FixStatus fix_status = FixStatus::fixed;
  SeverityLevel severity = SeverityLevel::unknown;
  std::optional<double> cvss;  // highest base score over the set's records, else cvss_source's
  std::string cvss_vector;     // the vector that score came from
  // Empty: cvss comes from the set's records. "nvd": none of them carries a score, and this is
  // the highest of the enrichment feed's preferred scores for the set's CVEs.
  std::string cvss_source;
  std::optional<double> epss, epss_percentile;
  bool kev = false, kev_ransomware = false;
  std::string kev_due_date;  // CISA's due date, YYYY-MM-DD
  double risk = 0;           // core/risk/: 0..100
  std::string summary;
  std::vector<std::string> references;         // URLs
  std::int64_t first_seen = 0, last_seen = 0;  // unix seconds
  std::optional<std::int64_t> resolved_at;     // set once a later scan no longer sees it
  std::optional<SuppressionMatch> suppression;

  bool suppressed() const { return suppression && !suppression->expired; }
  bool fix_available() const { return !fixed_version.empty(); }
};

// Where a finding's package comes from: "third-party" for a host package that only a third
// party's repository holds (Package::third_party), "distribution" for any other host package,
// "" for an application's package.
std::string_view finding_origin(const Finding& f);

// For a third-party package: why the distribution's fixed version is no promise, and where to
// look instead ("nginx 1.26.2-1~bookworm comes from nginx, not from the distribution: ...").
// Empty for every other finding.
std::string third_party_note(const Finding& f);

}  // namespace patchparty
