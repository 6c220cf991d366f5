#include "core/store/advisory_tables.h"

#include <algorithm>
#include <utility>

#include "core/model/package_name.h"
#include "core/store/cve_facts.h"

namespace patchparty::store {

namespace {

std::string_view base_ecosystem(std::string_view e) {
  return e.substr(0, e.find(':'));
}

// `s` as a JSON string literal, for the aliases column that json_each() reads back.
void append_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (u < 0x20) {
      out.append("\\u00");
      out.push_back(kHex[u >> 4]);
      out.push_back(kHex[u & 0xf]);
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
}

Result<> upsert_state_columns(Database& db, std::string_view feed, std::string_view kind) {
  PP_TRY(st, db.prepare("INSERT INTO feed_state (feed, kind) VALUES (?1, ?2) "
                        "ON CONFLICT (feed) DO UPDATE SET kind = excluded.kind"));
  PP_CHECK(st.bind_text(1, feed));
  PP_CHECK(st.bind_text(2, kind));
  return st.run();
}

}  // namespace

Result<FeedRefresh> FeedRefresh::begin(Database& db, std::string feed, std::string kind,
                                       WriteMode mode) {
  // A refresh rewrites hundreds of thousands of index entries; 64 MiB of page cache keeps the
  // index B-trees in memory instead of re-reading them from the file for every insert.
  PP_CHECK(db.exec("PRAGMA cache_size = -65536"));
  PP_TRY(tx, Transaction::begin(db));
  FeedRefresh r(std::move(tx), db, std::move(feed), std::move(kind), mode);
  if (mode == WriteMode::replace) {
    for (const char* sql :
         {"DELETE FROM advisory_packages WHERE advisory IN "
          "(SELECT id FROM advisories WHERE feed = ?1)",
          "DELETE FROM advisories WHERE feed = ?1", "DELETE FROM kev WHERE feed = ?1",
          "DELETE FROM epss WHERE feed = ?1", "DELETE FROM cve_scores WHERE feed = ?1"}) {
      PP_TRY(del, db.prepare(sql));
      PP_CHECK(del.bind_text(1, r.feed_));
      PP_CHECK(del.run());
    }
  } else {
    // The ids of the advisories an update drops, so that their package rows go in one pass at
    // commit: advisory_packages has no index by advisory, and a scan per record would cost a
    // daily sync of 500 changes 500 scans.
    PP_CHECK(
        db.exec("CREATE TEMP TABLE IF NOT EXISTS forgotten_advisories "
                "(id INTEGER PRIMARY KEY)"));
    PP_CHECK(db.exec("DELETE FROM temp.forgotten_advisories"));
    // New rows are numbered above every row that exists now: SQLite would otherwise hand a
    // dropped record's id to the next insert, and the pass at commit would delete the new
    // record's package rows with the old ones.
    PP_TRY(max_id, db.prepare("SELECT coalesce(max(id), 0) FROM advisories"));
    PP_CHECK(max_id.step());
    r.next_id_ = max_id.column_int64(0) + 1;
  }
  PP_CHECK(r.prepare());
  return r;
}

Result<> FeedRefresh::prepare() {
  PP_TRY(a, db_->prepare("INSERT INTO advisories (feed, advisory_id, modified, withdrawn, aliases, "
                         "record, id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  PP_TRY(p, db_->prepare(
                "INSERT INTO advisory_packages (ecosystem, name, advisory) VALUES (?1, ?2, ?3)"));
  // A catalogue can list a CVE twice; the later row wins, as it would in a fresh download.
  PP_TRY(k,
         db_->prepare(
             "INSERT OR REPLACE INTO kev (cve, feed, vendor, product, name, date_added, "
             "due_date, known_ransomware, required_action) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)"));
  PP_TRY(e, db_->prepare("INSERT OR REPLACE INTO epss (cve, feed, probability, percentile, date) "
                         "VALUES (?1, ?2, ?3, ?4, ?5)"));
  insert_advisory_.emplace(std::move(a));
  insert_package_.emplace(std::move(p));
  insert_kev_.emplace(std::move(k));
  insert_epss_.emplace(std::move(e));
  PP_TRY(ds, db_->prepare("DELETE FROM cve_scores WHERE cve = ?1"));
  PP_TRY(is, db_->prepare("INSERT INTO cve_scores (cve, seq, feed, version, source, type, score, "
                          "vector, severity, status, last_modified) "
                          "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)"));
  delete_scores_.emplace(std::move(ds));
  insert_score_.emplace(std::move(is));
  if (mode_ == WriteMode::update) {
    PP_TRY(fi, db_->prepare("INSERT OR IGNORE INTO temp.forgotten_advisories (id) "
                            "SELECT id FROM advisories WHERE feed = ?1 AND advisory_id = ?2"));
    PP_TRY(fr, db_->prepare("DELETE FROM advisories WHERE feed = ?1 AND advisory_id = ?2"));
    forget_ids_.emplace(std::move(fi));
    forget_rows_.emplace(std::move(fr));
  }
  return {};
}

Result<> FeedRefresh::add_advisory(const Advisory& a, std::string_view record_json) {
  aliases_.assign("[");
  for (const auto& alias : a.aliases) {
    if (alias == a.id) continue;
    if (aliases_.size() > 1) aliases_.push_back(',');
    append_json_string(aliases_, alias);
  }
  aliases_.push_back(']');
  auto& ins = *insert_advisory_;
  PP_CHECK(ins.bind_text(1, feed_));
  PP_CHECK(ins.bind_text(2, a.id));
  PP_CHECK(ins.bind_text(3, a.modified));
  PP_CHECK(ins.bind_int64(4, a.withdrawn ? 1 : 0));
  PP_CHECK(ins.bind_text(5, aliases_));
  PP_CHECK(ins.bind_blob(6, std::as_bytes(std::span(record_json.data(), record_json.size()))));
  if (mode_ == WriteMode::update) {
    PP_CHECK(ins.bind_int64(7, next_id_++));
  } else {
    PP_CHECK(ins.bind_null(7));
  }
  PP_CHECK(ins.run());
  ins.reset();
  const std::int64_t row = db_->last_insert_rowid();
  // One index row per distinct (base ecosystem, name): a record listing Debian:11 and Debian:12
  // is found once and evaluated per release by correlation. Records name few packages, so a
  // linear search beats building a set for each one.
  seen_.clear();
  for (const auto& af : a.affected) {
    if (af.name.empty()) continue;
    const std::string_view base = base_ecosystem(af.ecosystem);
    auto key = std::make_pair(base, index_package_name(base, af.name));
    if (std::find(seen_.begin(), seen_.end(), key) != seen_.end()) continue;
    seen_.push_back(key);
    auto& p = *insert_package_;
    PP_CHECK(p.bind_text(1, key.first));
    PP_CHECK(p.bind_text(2, key.second));
    PP_CHECK(p.bind_int64(3, row));
    PP_CHECK(p.run());
    p.reset();
  }
  ++added_;
  return {};
}

Result<> FeedRefresh::add_kev(const KevEntry& e) {
  auto& k = *insert_kev_;
  PP_CHECK(k.bind_text(1, e.cve));
  PP_CHECK(k.bind_text(2, feed_));
  PP_CHECK(k.bind_text(3, e.vendor));
  PP_CHECK(k.bind_text(4, e.product));
  PP_CHECK(k.bind_text(5, e.name));
  PP_CHECK(k.bind_text(6, e.date_added));
  PP_CHECK(k.bind_text(7, e.due_date));
  PP_CHECK(k.bind_int64(8, e.known_ransomware ? 1 : 0));
  PP_CHECK(k.bind_text(9, e.required_action));
  PP_CHECK(k.run());
  k.reset();
  ++added_;
  return {};
}

Result<> FeedRefresh::add_epss(const EpssScore& s) {
  auto& e = *insert_epss_;
  PP_CHECK(e.bind_text(1, s.cve));
  PP_CHECK(e.bind_text(2, feed_));
  PP_CHECK(e.bind_double(3, s.probability));
  PP_CHECK(e.bind_double(4, s.percentile));
  PP_CHECK(e.bind_text(5, s.date));
  PP_CHECK(e.run());
  e.reset();
  ++added_;
  return {};
}

Result<> FeedRefresh::add_scores(const CveScores& s) {
  auto& del = *delete_scores_;
  PP_CHECK(del.bind_text(1, s.cve));
  PP_CHECK(del.run());
  del.reset();
  std::int64_t seq = 0;
  for (const auto& m : s.metrics) {
    auto& ins = *insert_score_;
    PP_CHECK(ins.bind_text(1, s.cve));
    PP_CHECK(ins.bind_int64(2, seq++));
    PP_CHECK(ins.bind_text(3, feed_));
    PP_CHECK(ins.bind_text(4, m.version));
    PP_CHECK(ins.bind_text(5, m.source));
    PP_CHECK(ins.bind_text(6, m.type));
    PP_CHECK(ins.bind_double(7, m.base_score));
    PP_CHECK(ins.bind_text(8, m.vector));
    PP_CHECK(ins.bind_text(9, m.severity));
    PP_CHECK(ins.bind_text(10, s.status));
    PP_CHECK(ins.bind_text(11, s.last_modified));
    PP_CHECK(ins.run());
    ins.reset();
  }
  ++added_;
  return {};
}

Result<> FeedRefresh::forget_advisory(std::string_view id) {
  if (mode_ != WriteMode::update)
    return fail(Errc::internal, "feed " + feed_ + ": forget_advisory outside an update");
  for (auto* st : {&*forget_ids_, &*forget_rows_}) {
    PP_CHECK(st->bind_text(1, feed_));
    PP_CHECK(st->bind_text(2, id));
    PP_CHECK(st->run());
    st->reset();
  }
  forgot_ = true;
  return {};
}

Result<std::int64_t> FeedRefresh::rows_held() {
  std::int64_t total = 0;
  for (const char* sql :
       {"SELECT count(*) FROM advisories WHERE feed = ?1",
        "SELECT count(*) FROM kev WHERE feed = ?1", "SELECT count(*) FROM epss WHERE feed = ?1",
        "SELECT count(*) FROM cve_scores WHERE feed = ?1 AND seq = 0"}) {
    PP_TRY(st, db_->prepare(sql));
    PP_CHECK(st.bind_text(1, feed_));
    PP_CHECK(st.step());
    total += st.column_int64(0);
  }
  return total;
}

Result<> FeedRefresh::commit(const RefreshOutcome& o) {
  std::int64_t record_count = added_;
  if (mode_ == WriteMode::update) {
    if (forgot_) {
      PP_CHECK(
          db_->exec("DELETE FROM advisory_packages WHERE advisory IN "
                    "(SELECT id FROM temp.forgotten_advisories)"));
      PP_CHECK(db_->exec("DELETE FROM temp.forgotten_advisories"));
    }
    PP_TRY(held, rows_held());
    record_count = held;
  }
  PP_CHECK(upsert_state_columns(*db_, feed_, kind_));
  PP_TRY(st,
         db_->prepare("UPDATE feed_state SET etag = ?2, last_modified = ?3, last_success_at = ?4, "
                      "last_attempt_at = ?4, last_error = NULL, record_count = ?5, "
                      "records_skipped = ?6, bytes = ?7, failures = 0, duration_seconds = ?8, "
                      "cursor = ?9, sync_mode = ?10, download_bytes = download_bytes + ?7 "
                      "WHERE feed = ?1"));
  PP_CHECK(st.bind_text(1, feed_));
  PP_CHECK(st.bind_text(2, o.etag));
  PP_CHECK(st.bind_text(3, o.last_modified));
  PP_CHECK(st.bind_int64(4, o.finished_at));
  PP_CHECK(st.bind_int64(5, record_count));
  PP_CHECK(st.bind_int64(6, o.records_skipped));
  PP_CHECK(st.bind_int64(7, o.bytes));
  PP_CHECK(st.bind_double(8, o.duration_seconds));
  PP_CHECK(st.bind_text(9, o.cursor));
  PP_CHECK(st.bind_text(10, o.sync_mode));
  PP_CHECK(st.run());
  // Statements must be finalised before COMMIT can release every lock.
  insert_advisory_.reset();
  insert_package_.reset();
  insert_kev_.reset();
  insert_epss_.reset();
  delete_scores_.reset();
  insert_score_.reset();
  forget_ids_.reset();
  forget_rows_.reset();
  return tx_.commit();
}

Result<> record_feed_failure(Database& db, std::string_view feed, std::string_view kind,
                             std::string_view error, std::int64_t at, double duration_seconds) {
  PP_TRY(tx, Transaction::begin(db));
  PP_CHECK(upsert_state_columns(db, feed, kind));
  PP_TRY(st, db.prepare("UPDATE feed_state SET last_attempt_at = ?2, last_error = ?3, "
                        "failures = failures + 1, duration_seconds = ?4 WHERE feed = ?1"));
  PP_CHECK(st.bind_text(1, feed));
  PP_CHECK(st.bind_int64(2, at));
  // Errors can quote untrusted bytes; keep the row small.
  PP_CHECK(st.bind_text(3, error.substr(0, 4096)));
  PP_CHECK(st.bind_double(4, duration_seconds));
  PP_CHECK(st.run());
  return tx.commit();
}

Result<> record_feed_not_modified(Database& db, std::string_view feed, std::string_view kind,
                                  std::int64_t at, double duration_seconds, std::int64_t bytes) {
  PP_TRY(tx, Transaction::begin(db));
  PP_CHECK(upsert_state_columns(db, feed, kind));
  PP_TRY(st, db.prepare("UPDATE feed_state SET last_attempt_at = ?2, last_success_at = ?2, "
                        "last_error = NULL, failures = 0, duration_seconds = ?3, "
                        "download_bytes = download_bytes + ?4 WHERE feed = ?1"));
  PP_CHECK(st.bind_text(1, feed));
  PP_CHECK(st.bind_int64(2, at));
  PP_CHECK(st.bind_double(3, duration_seconds));
  PP_CHECK(st.bind_int64(4, bytes));
  PP_CHECK(st.run());
  return tx.commit();
}

namespace {
constexpr std::string_view kStatusColumns =
    "SELECT feed, kind, COALESCE(etag, ''), COALESCE(last_modified, ''), "
    "COALESCE(last_success_at, 0), COALESCE(last_attempt_at, 0), COALESCE(last_error, ''), "
    "record_count, records_skipped, bytes, failures, COALESCE(duration_seconds, 0), cursor, "
    "sync_mode, download_bytes FROM feed_state";

FeedStatus read_status(const Statement& st) {
  FeedStatus s;
  s.feed = st.column_text(0);
  s.kind = st.column_text(1);
  s.etag = st.column_text(2);
  s.last_modified = st.column_text(3);
  s.last_success_at = st.column_int64(4);
  s.last_attempt_at = st.column_int64(5);
  s.last_error = st.column_text(6);
  s.record_count = st.column_int64(7);
  s.records_skipped = st.column_int64(8);
  s.bytes = st.column_int64(9);
  s.failures = st.column_int64(10);
  s.duration_seconds = st.column_double(11);
  s.cursor = st.column_text(12);
  s.sync_mode = st.column_text(13);
  s.download_bytes = st.column_int64(14);
  return s;
}
}  // namespace

Result<std::optional<FeedStatus>> feed_status(Database& db, std::string_view feed) {
  PP_TRY(st, db.prepare(std::string(kStatusColumns) + " WHERE feed = ?1"));
  PP_CHECK(st.bind_text(1, feed));
  PP_TRY(row, st.step());
  if (!row) return std::optional<FeedStatus>{};
  return std::optional<FeedStatus>{read_status(st)};
}

Result<std::vector<FeedStatus>> feed_statuses(Database& db) {
  PP_TRY(st, db.prepare(std::string(kStatusColumns) + " ORDER BY feed"));
  std::vector<FeedStatus> out;
  for (;;) {
    PP_TRY(row, st.step());
    if (!row) break;
    out.push_back(read_status(st));
  }
  return out;
}

Result<std::vector<std::string>> advisory_records(Database& db, std::string_view ecosystem_base,
                                                  std::string_view name) {
  PP_TRY(st,
         db.prepare("SELECT a.record FROM advisory_packages p JOIN advisories a "
                    "ON a.id = p.advisory WHERE p.ecosystem = ?1 AND p.name = ?2 ORDER BY a.id"));
  PP_CHECK(st.bind_text(1, ecosystem_base));
  PP_CHECK(st.bind_text(2, index_package_name(ecosystem_base, name)));
  std::vector<std::string> out;
  for (;;) {
    PP_TRY(row, st.step());
    if (!row) break;
    out.push_back(st.column_text(0));
  }
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> alias_pairs(Database& db) {
  PP_TRY(st, db.prepare("SELECT a.advisory_id, j.value FROM advisories a, json_each(a.aliases) j "
                        "WHERE a.aliases <> '[]' ORDER BY a.id"));
  std::vector<std::pair<std::string, std::string>> out;
  for (;;) {
    PP_TRY(row, st.step());
    if (!row) break;
    out.emplace_back(st.column_text(0), st.column_text(1));
  }
  return out;
}

Result<std::int64_t> advisory_count(Database& db, std::string_view feed) {
  PP_TRY(st, db.prepare(feed.empty() ? "SELECT COUNT(*) FROM advisories"
                                     : "SELECT COUNT(*) FROM advisories WHERE feed = ?1"));
  if (!feed.empty()) PP_CHECK(st.bind_text(1, feed));
  PP_TRY(row, st.step());
  return row ? st.column_int64(0) : 0;
}

Result<std::optional<KevEntry>> kev_entry(Database& db, std::string_view cve) {
  PP_TRY(st, db.prepare(kKevByCve));
  return query_kev(st, cve);
}

Result<std::optional<EpssScore>> epss_score(Database& db, std::string_view cve) {
  PP_TRY(st, db.prepare(kEpssByCve));
  return query_epss(st, cve);
}

}  // namespace patchparty::store
