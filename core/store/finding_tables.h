// Findings with their history: each scan upserts what it sees (first_seen kept, last_seen moved)
// and resolves what it no longer sees, so "new since the last party" and time-to-remediate are
// queries. Also the scans and the party exports already written.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/model/finding.h"
#include "core/store/sqlite_db.h"

namespace patchparty::store {

struct ScanSummary {
  std::int64_t findings = 0;  // open after the scan
  std::int64_t opened = 0;    // new, or seen again after being resolved
  std::int64_t resolved = 0;  // open before, not seen by this scan
};

// In one transaction: every finding of `findings` is inserted or updated (its first_seen and
// last_seen are filled in from the store), and every open finding of `host` the scan did not see
// gets resolved_at = now. A finding that reappears after being resolved is open again with its
// first_seen kept, so a regression does not restart the SLA clock.
[[nodiscard]] Result<ScanSummary> record_scan(Database& db, std::string_view host,
                                              std::vector<Finding>& findings, std::int64_t now,
                                              std::int64_t packages, double duration_seconds);

struct FindingQuery {
  std::string host;               // empty: every host
  bool include_resolved = false;  // resolved findings too (time-to-remediate reports)
};
[[nodiscard]] Result<std::vector<Finding>> load_findings(Database& db, const FindingQuery& q = {});

// When the last scan finished (unix seconds); nullopt before the first.
[[nodiscard]] Result<std::optional<std::int64_t>> last_scan_at(Database& db);

// The party at `party_at` had its backlog written to `directory` at `written_at`.
[[nodiscard]] Result<> record_party_export(Database& db, std::int64_t party_at,
                                           std::int64_t written_at, std::string_view directory);
[[nodiscard]] Result<bool> party_exported(Database& db, std::int64_t party_at);

// The finding as the store keeps it (a JSON object), and back; exposed for tests.
std::string finding_to_json(const Finding& f);
[[nodiscard]] Result<Finding> finding_from_json(std::string_view json);

}  // namespace patchparty::store
