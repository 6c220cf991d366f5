#include "core/store/event_tables.h"

namespace patchparty::store {

namespace {

constexpr std::string_view kColumns =
    "SELECT id, at, origin, kind, target, arch, ecosystem, project, from_version, to_version, "
    "note, verdict, rollback FROM patch_events";

Result<events::PatchEvent> read_event(Statement& st) {
  events::PatchEvent e;
  e.id = st.column_int64(0);
  e.at = st.column_int64(1);
  auto origin = events::parse_origin(st.column_text(2));
  auto kind = events::parse_kind(st.column_text(3));
  if (!origin || !kind)
    return fail(Errc::data_loss,
                "patch event " + std::to_string(e.id) + ": unknown origin or kind");
  e.origin = *origin;
  e.kind = *kind;
  e.target = st.column_text(4);
  e.arch = st.column_text(5);
  e.ecosystem = st.column_text(6);
  e.project = st.column_text(7);
  e.from_version = st.column_text(8);
  e.to_version = st.column_text(9);
  e.note = st.column_text(10);
  e.verdict = st.column_text(11);
  e.rollback = st.column_text(12);
  return e;
}

Result<> insert(Statement& st, events::PatchEvent& e, std::int64_t now, Database& db) {
  st.reset();
  PP_CHECK(st.bind_int64(1, e.at));
  PP_CHECK(st.bind_int64(2, now));
  PP_CHECK(st.bind_text(3, events::origin_name(e.origin)));
  PP_CHECK(st.bind_text(4, events::kind_name(e.kind)));
  PP_CHECK(st.bind_text(5, e.target));
  PP_CHECK(st.bind_text(6, e.arch));
  PP_CHECK(st.bind_text(7, e.ecosystem));
  PP_CHECK(st.bind_text(8, e.project));
  PP_CHECK(st.bind_text(9, e.from_version));
  PP_CHECK(st.bind_text(10, e.to_version));
  PP_CHECK(st.bind_text(11, e.note));
  PP_CHECK(st.bind_text(12, e.verdict));
  PP_CHECK(st.bind_text(13, e.rollback));
  PP_CHECK(st.run());
  e.id = db.last_insert_rowid();
  return {};
}

Result<> write_cursor(Database& db, const events::LogCursor& c, std::int64_t now) {
  PP_TRY(st, db.prepare("INSERT INTO log_cursors (path, inode, offset, head_hash, updated_at) "
                        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (path) DO UPDATE SET "
                        "inode = excluded.inode, offset = excluded.offset, "
                        "head_hash = excluded.head_hash, updated_at = excluded.updated_at"));
  PP_CHECK(st.bind_text(1, c.path));
  // SQLite integers are signed; the bits round-trip.
  PP_CHECK(st.bind_int64(2, static_cast<std::int64_t>(c.inode)));
  PP_CHECK(st.bind_int64(3, c.offset));
  PP_CHECK(st.bind_int64(4, static_cast<std::int64_t>(c.head_hash)));
  PP_CHECK(st.bind_int64(5, now));
  return st.run();
}

}  // namespace

Result<events::PatchEvent> record_event(Database& db, events::PatchEvent event, std::int64_t now) {
  std::vector<events::PatchEvent> one;
  one.push_back(std::move(event));
  PP_TRY(stored, record_events(db, std::move(one), now));
  return std::move(stored.front());
}

Result<std::vector<events::PatchEvent>> record_events(
    Database& db, std::vector<events::PatchEvent> batch, std::int64_t now,
    const std::optional<events::LogCursor>& cursor) {
  for (const auto& e : batch) {
    if (auto ok = events::validate_event(e); !ok)
      return tl::make_unexpected(
          with_context(ok.error(), "patch event for '" + e.target.substr(0, 64) + "'"));
  }
  PP_TRY(tx, Transaction::begin(db));
  if (!batch.empty()) {
    PP_TRY(st, db.prepare("INSERT INTO patch_events (at, recorded_at, origin, kind, target, arch, "
                          "ecosystem, project, from_version, to_version, note, verdict, rollback) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"));
    for (auto& e : batch) PP_CHECK(insert(st, e, now, db));
  }
  if (cursor) PP_CHECK(write_cursor(db, *cursor, now));
  PP_CHECK(tx.commit());
  return batch;
}

Result<std::vector<events::PatchEvent>> list_events(Database& db, const EventQuery& q) {
  PP_TRY(st,
         db.prepare(std::string(kColumns) + " WHERE at >= ?1 ORDER BY at DESC, id DESC LIMIT ?2"));
  PP_CHECK(st.bind_int64(1, q.since));
  PP_CHECK(st.bind_int64(2, q.limit > 0 ? q.limit : -1));
  std::vector<events::PatchEvent> out;
  for (;;) {
    PP_TRY(row, st.step());
    if (!row) break;
    PP_TRY(e, read_event(st));
    out.push_back(std::move(e));
  }
  return out;
}

Result<events::PatchEvent> event_by_id(Database& db, std::int64_t id) {
  PP_TRY(st, db.prepare(std::string(kColumns) + " WHERE id = ?1"));
  PP_CHECK(st.bind_int64(1, id));
  PP_TRY(row, st.step());
  if (!row) return fail(Errc::not_found, "no patch event " + std::to_string(id));
  return read_event(st);
}

Result<> set_event_outcome(Database& db, std::int64_t id, std::string_view verdict,
                           std::string_view rollback) {
  PP_TRY(st, db.prepare("UPDATE patch_events SET verdict = ?2, rollback = ?3 WHERE id = ?1"));
  PP_CHECK(st.bind_int64(1, id));
  PP_CHECK(st.bind_text(2, verdict.substr(0, events::kMaxNoteBytes)));
  PP_CHECK(st.bind_text(3, rollback.substr(0, events::kMaxNoteBytes)));
  PP_CHECK(st.run());
  if (db.changes() == 0) return fail(Errc::not_found, "no patch event " + std::to_string(id));
  return {};
}

Result<bool> seen_in_dpkg_log(Database& db, std::string_view target, std::string_view arch,
                              std::string_view to_version, std::int64_t since) {
  PP_TRY(st, db.prepare("SELECT 1 FROM patch_events WHERE target = ?1 AND at >= ?2 AND "
                        "origin = 'dpkg_log' AND arch = ?3 AND to_version = ?4 LIMIT 1"));
  PP_CHECK(st.bind_text(1, target));
  PP_CHECK(st.bind_int64(2, since));
  PP_CHECK(st.bind_text(3, arch));
  PP_CHECK(st.bind_text(4, to_version));
  return st.step();
}

Result<std::optional<events::LogCursor>> load_log_cursor(Database& db, std::string_view path) {
  PP_TRY(st, db.prepare("SELECT inode, offset, head_hash FROM log_cursors WHERE path = ?1"));
  PP_CHECK(st.bind_text(1, path));
  PP_TRY(row, st.step());
  if (!row) return std::optional<events::LogCursor>();
  events::LogCursor c;
  c.path = std::string(path);
  c.inode = static_cast<std::uint64_t>(st.column_int64(0));
  c.offset = st.column_int64(1);
  c.head_hash = static_cast<std::uint64_t>(st.column_int64(2));
  return std::optional<events::LogCursor>(std::move(c));
}

Result<> save_log_cursor(Database& db, const events::LogCursor& cursor, std::int64_t now) {
  return write_cursor(db, cursor, now);
}

}  // namespace patchparty::store
