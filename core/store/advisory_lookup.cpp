#include "core/store/advisory_lookup.h"

#include "core/store/cve_facts.h"

namespace patchparty::store {

namespace {

// Leaves the statement ready for the next lookup whatever happened to this one.
struct ResetOnExit {
  Statement& st;
  ~ResetOnExit() { st.reset(); }
};

}  // namespace

Result<AdvisoryLookup> AdvisoryLookup::prepare(Database& db) {
  PP_TRY(records,
         db.prepare("SELECT a.record FROM advisory_packages p JOIN advisories a "
                    "ON a.id = p.advisory WHERE p.ecosystem = ?1 AND p.name = ?2 ORDER BY a.id"));
  PP_TRY(kev, db.prepare(kKevByCve));
  PP_TRY(epss, db.prepare(kEpssByCve));
  PP_TRY(score, db.prepare(kPreferredScoreByCve));
  return AdvisoryLookup(std::move(records), std::move(kev), std::move(epss), std::move(score));
}

Result<std::vector<std::string>> AdvisoryLookup::records(std::string_view ecosystem_base,
                                                         std::string_view name) {
  ResetOnExit reset{records_};
  PP_CHECK(records_.bind_text(1, ecosystem_base));
  PP_CHECK(records_.bind_text(2, name));
  std::vector<std::string> out;
  for (;;) {
    PP_TRY(row, records_.step());
    if (!row) break;
    out.push_back(records_.column_text(0));
  }
  return out;
}

Result<std::optional<KevEntry>> AdvisoryLookup::kev(std::string_view cve) {
  ResetOnExit reset{kev_};
  return query_kev(kev_, cve);
}

Result<std::optional<EpssScore>> AdvisoryLookup::epss(std::string_view cve) {
  ResetOnExit reset{epss_};
  return query_epss(epss_, cve);
}

Result<std::optional<CvssMetric>> AdvisoryLookup::preferred_score(std::string_view cve) {
  ResetOnExit reset{score_};
  return query_preferred_score(score_, cve);
}

}  // namespace patchparty::store
