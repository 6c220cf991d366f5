#include "daemon/lifecycle/feed_job.h"

#include <chrono>
#include <optional>
#include <set>

#include "collectors/feeds/builtin_feeds.h"
#include "collectors/inventory/inventory_kind.h"
#include "core/base/log.h"
#include "core/base/unix_time.h"
#include "core/record/osv_writer.h"
#include "core/store/advisory_tables.h"
#include "daemon/lifecycle/ingest_pipeline.h"

namespace patchparty::lifecycle {

std::string user_agent() {
  return "patchparty/" PP_VERSION;
}

Result<FeedRunOutcome> run_feed(feeds::Feed& feed, feeds::Fetcher& fetcher, store::Store& store,
                                std::stop_token stop, const feeds::ProgressFn& progress) {
  const auto started = std::chrono::steady_clock::now();
  auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  auto& db = store.database();
  const std::string name(feed.name()), kind(feed.kind());
  PP_TRY(previous_status, store::feed_status(db, name));
  feeds::FetchState previous;
  // Validators and the cursor only count while we hold the data they describe.
  if (previous_status && previous_status->last_success_at > 0 && previous_status->record_count > 0)
    previous = feeds::FetchState{previous_status->etag, previous_status->last_modified,
                                 previous_status->cursor, previous_status->record_count};

  // The write transaction opens at the first item, not before the download: a long fetch must
  // not hold the database lock. Records are written on the pipeline's thread while the feed
  // parses on this one; `tx` is touched by one thread at a time (the pipeline's until finish()).
  std::optional<store::FeedRefresh> tx;
  auto open_tx = [&](store::WriteMode mode) -> Result<> {
    if (tx) {
      if (tx->mode() != mode)
        return fail(Errc::internal, "feed " + name + ": asked to update in place after records");
      return {};
    }
    PP_TRY(t, store::FeedRefresh::begin(db, name, kind, mode));
    tx.emplace(std::move(t));
    return {};
  };
  auto pipeline = std::make_unique<IngestPipeline>([&](IngestPipeline::Item&& item) -> Result<> {
    if (std::holds_alternative<IngestPipeline::UpdateInPlace>(item))
      return open_tx(store::WriteMode::update);
    if (!tx) PP_CHECK(open_tx(store::WriteMode::replace));
    if (auto* a = std::get_if<Advisory>(&item)) {
      if (a->feed.empty() || a->feed == "osv") a->feed = name;
      if (!a->osv_json.empty()) return tx->add_advisory(*a, a->osv_json);
      return tx->add_advisory(*a, feeds::to_osv_json(*a));
    }
    if (auto* f = std::get_if<IngestPipeline::ForgetAdvisory>(&item))
      return tx->forget_advisory(f->id);
    if (auto* k = std::get_if<KevEntry>(&item)) return tx->add_kev(*k);
    if (auto* c = std::get_if<CveScores>(&item)) return tx->add_scores(*c);
    return tx->add_epss(std::get<EpssScore>(item));
  });
  feeds::FeedSinks sinks;
  sinks.advisory = [&](Advisory&& a) { return pipeline->push(std::move(a)); };
  sinks.kev = [&](KevEntry&& e) { return pipeline->push(std::move(e)); };
  sinks.epss = [&](EpssScore&& s) { return pipeline->push(std::move(s)); };
  sinks.scores = [&](CveScores&& s) { return pipeline->push(std::move(s)); };
  sinks.update_in_place = [&] { return pipeline->push(IngestPipeline::UpdateInPlace{}); };
  sinks.forget_advisory = [&](std::string&& id) {
    return pipeline->push(IngestPipeline::ForgetAdvisory{std::move(id)});
  };
  sinks.progress = progress;

  auto result = feed.refresh(fetcher, previous, sinks, stop);
  auto written = pipeline->finish();
  pipeline.reset();
  if (result && !written) result = tl::make_unexpected(written.error());
  if (!result) {
    tx.reset();  // rolls back whatever was written
    log::error("feed " + name + ": " + result.error().to_string() + "; keeping the previous data");
    PP_CHECK(
        store::record_feed_failure(db, name, kind, result.error().message, unix_now(), seconds()));
    return tl::make_unexpected(result.error());
  }
  FeedRunOutcome outcome;
  if (result->status == feeds::Refresh::not_modified) {
    PP_CHECK(store::record_feed_not_modified(db, name, kind, unix_now(), seconds(),
                                             static_cast<std::int64_t>(result->bytes)));
    outcome.status = feeds::Refresh::not_modified;
    outcome.records = previous_status ? previous_status->record_count : 0;
    outcome.seconds = seconds();
    outcome.bytes = result->bytes;
    log::info("feed " + name + ": not modified");
    return outcome;
  }
  if (!tx) PP_CHECK(open_tx(store::WriteMode::replace));  // an empty source still replaces
  store::RefreshOutcome o;
  o.etag = result->validators.etag;
  o.last_modified = result->validators.last_modified;
  o.cursor = result->validators.cursor;
  o.sync_mode = result->sync_mode;
  o.records_skipped = static_cast<std::int64_t>(result->stats.skipped);
  o.bytes = static_cast<std::int64_t>(result->bytes);
  o.finished_at = unix_now();
  o.duration_seconds = seconds();
  outcome.records = tx->added();
  auto committed = tx->commit(o);
  tx.reset();
  if (!committed) {
    PP_CHECK(store::record_feed_failure(db, name, kind, committed.error().message, unix_now(),
                                        seconds()));
    return tl::make_unexpected(committed.error());
  }
  outcome.skipped = o.records_skipped;
  outcome.seconds = seconds();
  outcome.bytes = result->bytes;
  outcome.sync_mode = result->sync_mode;
  std::string note;
  if (!result->stats.skipped_examples.empty())
    note = " (first skipped: " + result->stats.skipped_examples.front() + ")";
  const std::string mode = o.sync_mode.empty() ? "" : o.sync_mode + " sync, ";
  log::info("feed " + name + ": " + mode + std::to_string(outcome.records) + " records written, " +
            std::to_string(outcome.skipped) + " skipped, " + std::to_string(outcome.bytes) +
            " bytes downloaded, in " + std::to_string(static_cast<int>(outcome.seconds * 1000)) +
            " ms" + note);
  return outcome;
}

std::vector<config::FeedConfig> effective_feeds(const config::Config& config,
                                                const inventory::InventoryPlan& plan) {
  if (config.feeds_configured) return config.feeds;
  // OSV's application ecosystems, by the name of their folder in OSV's bucket.
  static const std::set<std::string> kAppEcosystems = {"npm",       "Packagist", "PyPI",  "Go",
                                                       "crates.io", "RubyGems",  "Maven", "NuGet"};
  std::set<std::string> apps;
  for (const auto& s : plan.sources) {
    const auto* kind = inventory::inventory_kinds().find(s.kind);
    if (!kind) continue;
    if (!kind->lockfile_ecosystem.empty()) apps.insert(kind->lockfile_ecosystem);
    if (kind->ecosystems_from_content && s.source) {
      // An SBOM is read once more here: one size-capped file, read when the feeds are chosen
      // (start, reload, and the party check until its export is written).
      auto packages = s.source->scan();
      if (!packages) continue;  // its inventory run reports the error
      for (const auto& p : *packages) {
        const std::string base = p.ecosystem.substr(0, p.ecosystem.find(':'));
        if (kAppEcosystems.contains(base)) apps.insert(base);
      }
    }
  }
  return feeds::default_feeds(plan.host_ecosystem, apps);
}

}  // namespace patchparty::lifecycle
