#include "core/store/advisory_lookup.h"

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
  PP_TRY(kev, db.prepare("SELECT cve, vendor, product, name, date_added, due_date, "
                         "known_ransomware, required_action FROM kev WHERE cve = ?1"));
  PP_TRY(epss, db.prepare("SELECT cve, probability, percentile, date FROM epss WHERE cve = ?1"));
  return AdvisoryLookup(std::move(records), std::move(kev), std::move(epss));
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
  PP_CHECK(kev_.bind_text(1, cve));
  PP_TRY(row, kev_.step());
  if (!row) return std::optional<KevEntry>{};
  KevEntry e;
  e.cve = kev_.column_text(0);
  e.vendor = kev_.column_text(1);
  e.product = kev_.column_text(2);
  e.name = kev_.column_text(3);
  e.date_added = kev_.column_text(4);
  e.due_date = kev_.column_text(5);
  e.known_ransomware = kev_.column_int64(6) != 0;
  e.required_action = kev_.column_text(7);
  return std::optional<KevEntry>{std::move(e)};
}

Result<std::optional<EpssScore>> AdvisoryLookup::epss(std::string_view cve) {
  ResetOnExit reset{epss_};
  PP_CHECK(epss_.bind_text(1, cve));
  PP_TRY(row, epss_.step());
  if (!row) return std::optional<EpssScore>{};
  EpssScore s;
  s.cve = epss_.column_text(0);
  s.probability = epss_.column_double(1);
  s.percentile = epss_.column_double(2);
  s.date = epss_.column_text(3);
  return std::optional<EpssScore>{std::move(s)};
}

}  // namespace patchparty::store
