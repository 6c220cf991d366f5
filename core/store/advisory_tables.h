// Advisories, KEV, EPSS and CVSS rows, and per-feed state. A feed refresh replaces that feed's rows
// (or, for a feed that syncs incrementally, the records that changed) in one transaction
// (FeedRefresh): a failed download or parse rolls back and the last good rows stay.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/base/result.h"
#include "core/model/model.h"
#include "core/store/sqlite_db.h"

namespace patchparty::store {

struct FeedStatus {
  std::string feed, kind;
  std::string etag, last_modified;   // conditional-GET validators of the last good download
  std::int64_t last_success_at = 0;  // unix seconds; 0 = never
  std::int64_t last_attempt_at = 0;
  std::string last_error;         // empty after a success
  std::int64_t record_count = 0;  // rows the feed holds now
  std::int64_t records_skipped = 0;
  std::int64_t bytes = 0;
  std::int64_t failures = 0;    // consecutive failed refreshes
  double duration_seconds = 0;  // of the last attempt
  std::string cursor;           // how far the source's change index has been applied; empty: none
  std::string sync_mode;  // of the last good sync: "full", "incremental", "full (fallback: why)"
  std::int64_t download_bytes = 0;  // downloaded by every refresh so far, failed ones excepted
};

struct RefreshOutcome {
  std::string etag, last_modified;
  std::string cursor, sync_mode;  // see FeedStatus
  std::int64_t records_skipped = 0;
  std::int64_t bytes = 0;
  std::int64_t finished_at = 0;
  double duration_seconds = 0;
};

// replace: the feed's source is read whole, so every row it wrote before goes first. update: only
// what the source says changed is sent; the rest of the feed's rows stay.
enum class WriteMode { replace, update };

class FeedRefresh {
 public:
  // BEGIN IMMEDIATE; with WriteMode::replace, then delete every row the feed wrote before.
  [[nodiscard]] static Result<FeedRefresh> begin(Database& db, std::string feed, std::string kind,
                                                 WriteMode mode = WriteMode::replace);
  FeedRefresh(FeedRefresh&&) noexcept = default;
  FeedRefresh& operator=(FeedRefresh&&) = delete;

  // `record_json` is the advisory as OSV JSON; the side tables are filled from `a`.
  [[nodiscard]] Result<> add_advisory(const Advisory& a, std::string_view record_json);
  [[nodiscard]] Result<> add_kev(const KevEntry& e);
  [[nodiscard]] Result<> add_epss(const EpssScore& s);
  // Replaces the CVE's scores from this feed (none left when `s.metrics` is empty).
  [[nodiscard]] Result<> add_scores(const CveScores& s);
  // WriteMode::update: drops the feed's advisory `id` (every row of that id), for a record about
  // to be written again or no longer kept. Its package rows go at commit, in one pass.
  [[nodiscard]] Result<> forget_advisory(std::string_view id);
  std::int64_t added() const { return added_; }
  WriteMode mode() const { return mode_; }

  // Writes the feed's state and commits. Without commit, destruction rolls everything back.
  // The feed's record count is what it was sent (replace) or what it holds now (update).
  [[nodiscard]] Result<> commit(const RefreshOutcome& outcome);

 private:
  FeedRefresh(Transaction tx, Database& db, std::string feed, std::string kind, WriteMode mode)
      : tx_(std::move(tx)), db_(&db), feed_(std::move(feed)), kind_(std::move(kind)), mode_(mode) {}
  [[nodiscard]] Result<> prepare();
  [[nodiscard]] Result<std::int64_t> rows_held();

  Transaction tx_;
  Database* db_;
  std::string feed_, kind_;
  WriteMode mode_;
  std::optional<Statement> insert_advisory_, insert_package_, insert_kev_, insert_epss_;
  std::optional<Statement> delete_scores_, insert_score_, forget_ids_, forget_rows_;
  bool forgot_ = false;       // advisories were dropped: their package rows go at commit
  std::int64_t next_id_ = 0;  // WriteMode::update: the row id of the next advisory
  std::int64_t added_ = 0;
  // Reused for every record rather than allocated per record.
  std::string aliases_;
  std::vector<std::pair<std::string_view, std::string>> seen_;  // (base ecosystem, index name)
};

// A failed attempt: the rows stay, the error and the failure count are recorded.
[[nodiscard]] Result<> record_feed_failure(Database& db, std::string_view feed,
                                           std::string_view kind, std::string_view error,
                                           std::int64_t at, double duration_seconds);
// A 304 or unchanged file: the data is current as of `at`. `bytes`: what finding that out cost.
[[nodiscard]] Result<> record_feed_not_modified(Database& db, std::string_view feed,
                                                std::string_view kind, std::int64_t at,
                                                double duration_seconds, std::int64_t bytes = 0);

[[nodiscard]] Result<std::optional<FeedStatus>> feed_status(Database& db, std::string_view feed);
[[nodiscard]] Result<std::vector<FeedStatus>> feed_statuses(Database& db);

// OSV JSON of every advisory naming (ecosystem base, package name), e.g. ("Debian", "openssl").
// Names are compared as the ecosystem compares them (core/model/package_name.h): "Django" finds
// a PyPI record of "django".
[[nodiscard]] Result<std::vector<std::string>> advisory_records(Database& db,
                                                                std::string_view ecosystem_base,
                                                                std::string_view name);
// Every (advisory id, alias) pair, for building alias sets.
[[nodiscard]] Result<std::vector<std::pair<std::string, std::string>>> alias_pairs(Database& db);
[[nodiscard]] Result<std::int64_t> advisory_count(Database& db, std::string_view feed = {});

[[nodiscard]] Result<std::optional<KevEntry>> kev_entry(Database& db, std::string_view cve);
[[nodiscard]] Result<std::optional<EpssScore>> epss_score(Database& db, std::string_view cve);

}  // namespace patchparty::store
