// Advisories, KEV and EPSS rows, and per-feed state. A feed refresh replaces that feed's rows in
// one transaction (FeedRefresh): a failed download or parse rolls back and the last good rows stay.
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
};

struct RefreshOutcome {
  std::string etag, last_modified;
  std::int64_t records_skipped = 0;
  std::int64_t bytes = 0;
  std::int64_t finished_at = 0;
  double duration_seconds = 0;
};

class FeedRefresh {
 public:
  // BEGIN IMMEDIATE, then delete every row the feed wrote before.
  [[nodiscard]] static Result<FeedRefresh> begin(Database& db, std::string feed, std::string kind);
  FeedRefresh(FeedRefresh&&) noexcept = default;
  FeedRefresh& operator=(FeedRefresh&&) = delete;

  // `record_json` is the advisory as OSV JSON; the side tables are filled from `a`.
  [[nodiscard]] Result<> add_advisory(const Advisory& a, std::string_view record_json);
  [[nodiscard]] Result<> add_kev(const KevEntry& e);
  [[nodiscard]] Result<> add_epss(const EpssScore& s);
  std::int64_t added() const { return added_; }

  // Writes the feed's state and commits. Without commit, destruction rolls everything back.
  [[nodiscard]] Result<> commit(const RefreshOutcome& outcome);

 private:
  FeedRefresh(Transaction tx, Database& db, std::string feed, std::string kind)
      : tx_(std::move(tx)), db_(&db), feed_(std::move(feed)), kind_(std::move(kind)) {}
  [[nodiscard]] Result<> prepare();

  Transaction tx_;
  Database* db_;
  std::string feed_, kind_;
  std::optional<Statement> insert_advisory_, insert_package_, insert_kev_, insert_epss_;
  std::int64_t added_ = 0;
  // Reused for every record rather than allocated per record.
  std::string aliases_;
  std::vector<std::pair<std::string_view, std::string>> seen_;  // (base ecosystem, index name)
};

// A failed attempt: the rows stay, the error and the failure count are recorded.
[[nodiscard]] Result<> record_feed_failure(Database& db, std::string_view feed,
                                           std::string_view kind, std::string_view error,
                                           std::int64_t at, double duration_seconds);
// A 304 or unchanged file: the data is current as of `at`.
[[nodiscard]] Result<> record_feed_not_modified(Database& db, std::string_view feed,
                                                std::string_view kind, std::int64_t at,
                                                double duration_seconds);

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
