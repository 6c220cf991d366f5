// A scratch store fed the way `patchparty scan` feeds it (inventory snapshots, then each feed
// from a file:// URL into one store transaction, as lifecycle::run_feed does), scanned with
// scan::run_scan. The real-data tests use it so that what they check is the whole pipeline, not the
// correlator alone; below it, the checks and the Composer oracle those tests share.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <stop_token>
#include <string>
#include <vector>

#include "collectors/feeds/builtin_feeds.h"
#include "config/config.h"
#include "core/record/osv_writer.h"
#include "core/store/advisory_tables.h"
#include "core/store/store.h"
#include "core/suppress/suppressions.h"
#include "daemon/scan/scan_run.h"
#include "tests/support/test_data.h"
#include "tests/unit/versions/oracle_process.h"

namespace patchparty::testing {

class ScanBench {
 public:
  explicit ScanBench(std::string_view name) : dir_(temp_dir(name)) {
    feeds::register_builtin_feeds();  // as both executables do at start-up
    auto s = store::Store::open(dir_ / "state");
    if (!s) throw std::runtime_error("store: " + s.error().message);
    store_.emplace(std::move(*s));
    fetcher_.emplace(dir_ / "state" / "downloads", "patchparty-test");
    config_ = config::default_config();
    config_.host_name = "real-data-host";
    config_.state_dir = dir_ / "state";
  }
  ~ScanBench() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  ScanBench(const ScanBench&) = delete;
  ScanBench& operator=(const ScanBench&) = delete;

  // Ingests `path` (below the shared data root) as a feed of `kind`; returns the records kept.
  std::int64_t feed(const std::string& kind, const std::string& relative,
                    std::vector<std::string> only = {}, std::string name = {}) {
    config::FeedConfig c;
    c.name = name.empty() ? kind : std::move(name);
    c.kind = kind;
    c.url = "file://" + test_data(relative).string();
    c.only = std::move(only);
    auto f = feeds::make_feed(c);
    if (!f) {
      ADD_FAILURE() << c.name << ": " << f.error().message;
      return -1;
    }
    auto r = ingest(**f);
    if (!r) {
      ADD_FAILURE() << c.name << " (" << relative << "): " << r.error().message;
      return -1;
    }
    return *r;
  }

  void inventory(const std::string& source, const std::string& project,
                 const std::vector<Package>& packages) {
    auto r = store_->save_inventory(source, project, packages, ++now_);
    if (!r)
      ADD_FAILURE() << "save_inventory " << source << "/" << project << ": " << r.error().message;
  }

  std::optional<scan::ScanReport> scan() {
    auto r = scan::run_scan(*store_, config_, suppress::Suppressions{}, 1'800'000'000);
    if (!r) {
      ADD_FAILURE() << "run_scan: " << r.error().message;
      return std::nullopt;
    }
    return std::move(*r);
  }

  store::Store& store() { return *store_; }

 private:
  // What lifecycle::run_feed does for a first refresh, without its thread and feed-state
  // bookkeeping (pp_lifecycle is not linked into these tests): one transaction that takes every
  // record as OSV JSON, committed only when the feed read succeeded.
  Result<std::int64_t> ingest(feeds::Feed& feed) {
    PP_TRY(tx, store::FeedRefresh::begin(store_->database(), std::string(feed.name()),
                                         std::string(feed.kind())));
    feeds::FeedSinks sinks;
    const std::string name(feed.name());
    sinks.advisory = [&](Advisory&& a) -> Result<> {
      if (a.feed.empty() || a.feed == "osv") a.feed = name;
      if (!a.osv_json.empty()) return tx.add_advisory(a, a.osv_json);
      return tx.add_advisory(a, feeds::to_osv_json(a));
    };
    sinks.kev = [&](KevEntry&& e) { return tx.add_kev(e); };
    sinks.epss = [&](EpssScore&& e) { return tx.add_epss(e); };
    PP_TRY(result, feed.refresh(*fetcher_, feeds::FetchState{}, sinks, std::stop_token{}));
    store::RefreshOutcome outcome;
    outcome.records_skipped = static_cast<std::int64_t>(result.stats.skipped);
    const std::int64_t added = tx.added();
    PP_CHECK(tx.commit(outcome));
    return added;
  }

  std::filesystem::path dir_;
  std::optional<store::Store> store_;
  std::optional<feeds::Fetcher> fetcher_;
  config::Config config_;
  std::int64_t now_ = 1'700'000'000;
};

// Every id a finding is known by: its primary id and its aliases.
inline std::set<std::string> ids_of(const Finding& f) {
  std::set<std::string> ids(f.aliases.begin(), f.aliases.end());
  ids.insert(f.vulnerability);
  return ids;
}

// The finding for (package name, installed version) known by `id`, if any.
inline const Finding* find_finding(const std::vector<Finding>& findings, std::string_view ecosystem,
                                   std::string_view name, std::string_view version,
                                   std::string_view id) {
  for (const auto& f : findings) {
    if (f.package.ecosystem != ecosystem || f.package.name != name || f.package.version != version)
      continue;
    if (ids_of(f).count(std::string(id))) return &f;
    if (std::find(f.advisories.begin(), f.advisories.end(), id) != f.advisories.end()) return &f;
  }
  return nullptr;
}

// Findings per feed, for the release note's "counts of findings per source".
inline std::map<std::string, int> findings_per_feed(const std::vector<Finding>& findings) {
  std::map<std::string, int> out;
  for (const auto& f : findings)
    for (const auto& feed : f.feeds) ++out[feed];
  return out;
}

inline void print_counts(std::string_view what, const std::vector<Finding>& findings) {
  std::cout << "[counts] " << what << ": " << findings.size() << " findings";
  for (const auto& [feed, n] : findings_per_feed(findings)) std::cout << "; " << feed << " " << n;
  std::cout << "\n";
  ::testing::Test::RecordProperty(std::string(what) + "_findings",
                                  static_cast<int>(findings.size()));
}

// The real-data scans expect no problem at all: each one fails the test.
inline void expect_no_problems(const scan::ScanReport& report) {
  for (const auto& pr : report.problems)
    ADD_FAILURE() << "problem: " << pr.package << " " << pr.version << " vs " << pr.advisory << ": "
                  << pr.message;
}

// One failure for each key the oracle expects and the scan lacks ("missed"), and for each the
// scan has and the oracle does not ("false finding").
inline void expect_same_findings(const std::set<std::string>& expected,
                                 const std::set<std::string>& actual) {
  std::vector<std::string> missed, extra;
  std::set_difference(expected.begin(), expected.end(), actual.begin(), actual.end(),
                      std::back_inserter(missed));
  std::set_difference(actual.begin(), actual.end(), expected.begin(), expected.end(),
                      std::back_inserter(extra));
  for (const auto& m : missed) ADD_FAILURE() << "missed: " << m;
  for (const auto& e : extra) ADD_FAILURE() << "false finding: " << e;
}

// composer/semver's answer to each request line (tests/oracles/composer_oracle.php), in order.
inline std::vector<std::string> ask_composer_oracle(const std::vector<std::string>& requests) {
  return run_oracle_command(
      "php '" +
          (std::filesystem::path(PP_SOURCE_DIR) / "tests/oracles/composer_oracle.php").string() +
          "'",
      requests);
}

}  // namespace patchparty::testing
