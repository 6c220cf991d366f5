// The per-CVE rows of the KEV, EPSS and CVSS score tables, read one way for all of their
// readers: the one-off reads of advisory_tables.h and the statements a scan prepares once
// (advisory_lookup.h).
#pragma once

#include <optional>
#include <string_view>

#include "core/base/result.h"
#include "core/model/model.h"
#include "core/store/sqlite_db.h"

namespace patchparty::store {

// The statements query_kev and query_epss run: prepare them with Database::prepare.
inline constexpr std::string_view kKevByCve =
    "SELECT cve, vendor, product, name, date_added, due_date, known_ransomware, "
    "required_action FROM kev WHERE cve = ?1";
inline constexpr std::string_view kEpssByCve =
    "SELECT cve, probability, percentile, date FROM epss WHERE cve = ?1";
// seq 0 is the score an enrichment feed prefers for the CVE (collectors/feeds/nvd_cve.h
// preferred_score); the other rows are kept for whoever looks closer.
inline constexpr std::string_view kPreferredScoreByCve =
    "SELECT version, source, type, score, vector, severity FROM cve_scores "
    "WHERE cve = ?1 AND seq = 0";

// Binds `cve` to a statement prepared from kKevByCve (kEpssByCve) and reads its row; nullopt when
// the CVE is not listed. The caller resets the statement before it runs again.
[[nodiscard]] Result<std::optional<KevEntry>> query_kev(Statement& st, std::string_view cve);
[[nodiscard]] Result<std::optional<EpssScore>> query_epss(Statement& st, std::string_view cve);
// As query_kev, with a statement prepared from kPreferredScoreByCve: the CVE's preferred CVSS
// score, or nullopt when no feed scored it.
[[nodiscard]] Result<std::optional<CvssMetric>> query_preferred_score(Statement& st,
                                                                      std::string_view cve);

}  // namespace patchparty::store
