#include "core/store/restart_store.h"

#include "core/report/restart_json.h"

namespace patchparty::restart {

Result<> save_restart_report(store::Database& db, const RestartReport& report) {
  PP_TRY(stmt, db.prepare("INSERT INTO restart_report (id, taken_at, report) VALUES (1, ?1, ?2) "
                          "ON CONFLICT (id) DO UPDATE SET taken_at = excluded.taken_at, "
                          "report = excluded.report"));
  PP_CHECK(stmt.bind_int64(1, report.taken_at));
  PP_CHECK(stmt.bind_text(2, restart_report_json(report)));
  return stmt.run();
}

Result<std::optional<RestartReport>> load_restart_report(store::Database& db) {
  PP_TRY(stmt, db.prepare("SELECT report FROM restart_report WHERE id = 1"));
  PP_TRY(row, stmt.step());
  if (!row) return std::optional<RestartReport>();
  PP_TRY(report, restart_report_from_json(stmt.column_text(0)));
  return std::optional<RestartReport>(std::move(report));
}

}  // namespace patchparty::restart
