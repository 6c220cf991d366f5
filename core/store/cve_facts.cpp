#include "core/store/cve_facts.h"

#include <utility>

namespace patchparty::store {

Result<std::optional<KevEntry>> query_kev(Statement& st, std::string_view cve) {
  PP_CHECK(st.bind_text(1, cve));
  PP_TRY(row, st.step());
  if (!row) return std::optional<KevEntry>{};
  KevEntry e;
  e.cve = st.column_text(0);
  e.vendor = st.column_text(1);
  e.product = st.column_text(2);
  e.name = st.column_text(3);
  e.date_added = st.column_text(4);
  e.due_date = st.column_text(5);
  e.known_ransomware = st.column_int64(6) != 0;
  e.required_action = st.column_text(7);
  return std::optional<KevEntry>{std::move(e)};
}

Result<std::optional<EpssScore>> query_epss(Statement& st, std::string_view cve) {
  PP_CHECK(st.bind_text(1, cve));
  PP_TRY(row, st.step());
  if (!row) return std::optional<EpssScore>{};
  EpssScore s;
  s.cve = st.column_text(0);
  s.probability = st.column_double(1);
  s.percentile = st.column_double(2);
  s.date = st.column_text(3);
  return std::optional<EpssScore>{std::move(s)};
}

Result<std::optional<CvssMetric>> query_preferred_score(Statement& st, std::string_view cve) {
  PP_CHECK(st.bind_text(1, cve));
  PP_TRY(row, st.step());
  if (!row) return std::optional<CvssMetric>{};
  CvssMetric m;
  m.version = st.column_text(0);
  m.source = st.column_text(1);
  m.type = st.column_text(2);
  m.base_score = st.column_double(3);
  m.vector = st.column_text(4);
  m.severity = st.column_text(5);
  return std::optional<CvssMetric>{std::move(m)};
}

}  // namespace patchparty::store
