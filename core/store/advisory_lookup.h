// Read side of the advisory tables for correlation: the statements are prepared once and reused
// for every package of a scan (thousands of lookups, where preparing each would dominate).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/model/model.h"
#include "core/store/sqlite_db.h"

namespace patchparty::store {

class AdvisoryLookup {
 public:
  [[nodiscard]] static Result<AdvisoryLookup> prepare(Database& db);

  // As advisory_records(): the OSV JSON of every advisory naming (ecosystem base, name), with
  // `name` already spelt as the index spells it (correlate's advisory_lookup_name does): this
  // runs once per distinct package of a scan.
  [[nodiscard]] Result<std::vector<std::string>> records(std::string_view ecosystem_base,
                                                         std::string_view name);
  [[nodiscard]] Result<std::optional<KevEntry>> kev(std::string_view cve);
  [[nodiscard]] Result<std::optional<EpssScore>> epss(std::string_view cve);
  // The CVE's preferred CVSS score from an enrichment feed (nvd), or nullopt.
  [[nodiscard]] Result<std::optional<CvssMetric>> preferred_score(std::string_view cve);

 private:
  AdvisoryLookup(Statement records, Statement kev, Statement epss, Statement score)
      : records_(std::move(records)),
        kev_(std::move(kev)),
        epss_(std::move(epss)),
        score_(std::move(score)) {}
  Statement records_, kev_, epss_, score_;
};

}  // namespace patchparty::store
