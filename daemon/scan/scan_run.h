// One scan: the store's latest inventory against its advisories (correlate), each finding ranked
// (risk) and checked against the suppressions, then recorded with its history. The daemon runs
// it after every inventory or feed change; `patchparty scan` runs it once on a scratch store.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/base/result.h"
#include "core/correlate/correlator.h"
#include "core/model/finding.h"
#include "core/store/finding_tables.h"
#include "core/store/store.h"
#include "core/suppress/suppressions.h"

namespace patchparty::scan {

struct ScanReport {
  std::string host;
  std::vector<Finding> findings;  // open findings, with risk, suppression and history filled in
  std::vector<correlate::Problem> problems;
  store::ScanSummary summary;
  std::int64_t packages = 0;
  std::int64_t advisories_checked = 0;
  std::int64_t finished_at = 0;
  double seconds = 0;
};

[[nodiscard]] Result<ScanReport> run_scan(store::Store& store, const config::Config& config,
                                          const suppress::Suppressions& suppressions,
                                          std::int64_t now);

// Risk and suppression for findings already correlated; run_scan uses it, and so do readers
// that re-rank stored findings after a config change.
void rank_and_suppress(std::vector<Finding>& findings, const config::Config& config,
                       const suppress::Suppressions& suppressions, std::int64_t now);

// config.host_name, else this machine's host name.
std::string host_name(const config::Config& config);

}  // namespace patchparty::scan
