#include "collectors/feeds/nvd_feed.h"

#include <yaml-cpp/yaml.h>

#include <functional>

#include "collectors/feeds/nvd_api.h"
#include "collectors/feeds/nvd_files.h"
#include "core/base/error_context.h"
#include "core/base/rfc3339_time.h"
#include "core/base/token_file.h"
#include "core/base/unix_time.h"
#include "core/base/yaml_reader.h"

namespace patchparty::feeds {

namespace {

constexpr std::size_t kMaxSkipExamples = 5;

CvssMetric metric_of(const NvdCvss& m) {
  return CvssMetric{m.version, m.source, m.type, m.base_score, m.vector, m.severity};
}

bool same_metric(const NvdCvss& a, const NvdCvss& b) {
  return a.version == b.version && a.source == b.source && a.type == b.type &&
         a.base_score == b.base_score && a.vector == b.vector && a.severity == b.severity;
}

bool is_http(std::string_view url) {
  return url.starts_with("http://") || url.starts_with("https://");
}

// Counts what one sync read, and says how far it is: records read against the records the
// windows walked so far announce.
class SyncTally {
 public:
  SyncTally(RefreshResult& result, const ProgressFn& progress)
      : result_(result), progress_(progress) {}

  void start_window() { window_base_ = read_; }

  void page(const NvdPage& page) {
    read_ += static_cast<std::uint64_t>(page.cves.size() + static_cast<std::size_t>(page.skipped));
    result_.stats.records += page.cves.size();
    result_.stats.skipped += static_cast<std::uint64_t>(page.skipped);
    for (const auto& reason : page.skip_reasons)
      if (result_.stats.skipped_examples.size() < kMaxSkipExamples)
        result_.stats.skipped_examples.push_back(reason);
    if (progress_) progress_(read_, window_base_ + static_cast<std::uint64_t>(page.total_results));
  }

 private:
  RefreshResult& result_;
  const ProgressFn& progress_;
  std::uint64_t read_ = 0, window_base_ = 0;
};

// Sends a page's CVEs. A full sync replaces every row, so a CVE without a score has nothing to
// remove and is not sent; an update sends it, so that the scores it no longer has go.
Result<> send_scores(const NvdPage& page, bool send_unscored, const FeedSinks& sinks) {
  for (const NvdCve& cve : page.cves) {
    if (cve.metrics.empty() && !send_unscored) continue;
    PP_CHECK(sinks.scores(nvd_cve_scores(cve)));
  }
  return {};
}

// Every page of one query, startIndex 0 onwards, until next_start_index says it was the last.
Result<> walk(NvdApi& api, const std::function<std::string(std::int64_t)>& query,
              bool send_unscored, const FeedSinks& sinks, SyncTally& tally, std::stop_token stop) {
  tally.start_window();
  for (std::int64_t start = 0; start >= 0;) {
    const std::string q = query(start);
    PP_TRY(page, api.page(q, stop));
    // Paging trusts the server to answer the page asked for; another would skip or repeat CVEs.
    if (page.start_index != start)
      return fail(Errc::data_loss, "?" + q + ": asked for startIndex " + std::to_string(start) +
                                       ", the answer starts at " +
                                       std::to_string(page.start_index));
    PP_CHECK(send_scores(page, send_unscored, sinks));
    tally.page(page);
    start = next_start_index(page);
  }
  return {};
}

std::string full_query(std::int64_t start_index) {
  return "startIndex=" + std::to_string(start_index) +
         "&resultsPerPage=" + std::to_string(kMaxNvdResultsPerPage);
}

// A file or a folder of files, fetched (a local path) by ConfiguredFeed: read whole, replacing.
Result<ReadStats> read_files(const FetchResult& fetched, const config::FeedConfig& config,
                             const FeedSinks& sinks) {
  if (!sinks.scores) return fail(Errc::internal, "no sink for CVSS scores");
  std::vector<std::filesystem::path> files{fetched.path};
  if (fetched.is_directory) {
    PP_TRY(in_folder, nvd_files_in(fetched.path));
    files = std::move(in_folder);
  }
  RefreshResult tally_into;
  SyncTally tally(tally_into, sinks.progress);
  for (const auto& file : files) {
    PP_TRY(page, read_nvd_file(file, static_cast<std::uint64_t>(config.max_size)));
    PP_CHECK(send_scores(page, false, sinks));
    tally.start_window();
    tally.page(page);
  }
  return std::move(tally_into.stats);
}

void check_section(config::YamlReader& r, const YAML::Node& item, const std::string& path,
                   const config::FeedConfig& c) {
  if (!c.only.empty())
    r.error(item["only"], config::YamlReader::join(path, "only"),
            "kind nvd keeps every CVE; remove only");
}

}  // namespace

CveScores nvd_cve_scores(const NvdCve& cve) {
  CveScores out;
  out.cve = cve.id;
  out.status = cve.status;
  out.last_modified = cve.last_modified;
  auto preferred = preferred_score(cve);
  if (!preferred) return out;
  out.metrics.reserve(cve.metrics.size());
  out.metrics.push_back(metric_of(*preferred));
  bool skipped_preferred = false;
  for (const NvdCvss& m : cve.metrics) {
    if (!skipped_preferred && same_metric(m, *preferred)) {
      skipped_preferred = true;
      continue;
    }
    out.metrics.push_back(metric_of(m));
  }
  return out;
}

std::chrono::milliseconds nvd_request_interval(const config::FeedConfig& config) {
  if (config.request_interval) return *config.request_interval;
  if (!config.api_key_file.empty()) return std::chrono::milliseconds(600);
  return std::chrono::seconds(6);
}

Result<RefreshResult> NvdFeed::refresh(Fetcher&, const FetchState& previous, const FeedSinks& sinks,
                                       std::stop_token stop) {
  const std::string context = "feed " + config_.name;
  if (!sinks.scores || !sinks.update_in_place)
    return fail(Errc::internal, context + ": no sink for CVSS scores");
  NvdApiOptions options;
  options.url = config_.url;
  if (!config_.api_key_file.empty()) {
    PP_TRY(key, read_token_file(config_.api_key_file, context + ": api_key_file"));
    options.api_key = std::move(key);
  }
  options.interval = nvd_request_interval(config_);
  options.backoff = 2 * options.interval;
  options.fetch.total_timeout = config_.timeout;
  options.fetch.max_bytes = static_cast<std::uint64_t>(config_.max_size);
  options.fetch.ca_path = config_.ca_path;
  NvdApi api(std::move(options));

  // Taken before the first request: whatever NVD modifies during the sync is after it.
  const std::int64_t started = unix_now();
  RefreshResult result;
  SyncTally tally(result, sinks.progress);
  std::optional<std::int64_t> since;
  if (!previous.cursor.empty()) since = parse_rfc3339(previous.cursor);
  Result<> walked;
  if (since) {
    result.sync_mode = "incremental";
    PP_CHECK(sinks.update_in_place());
    for (const NvdWindow& window : nvd_windows(*since, started)) {
      walked = walk(
          api,
          [&](std::int64_t start) { return nvd_page_query(window, start, kMaxNvdResultsPerPage); },
          true, sinks, tally, stop);
      if (!walked) break;
    }
  } else {
    result.sync_mode = previous.cursor.empty() ? "full" : "full (fallback: unreadable cursor)";
    walked = walk(api, full_query, false, sinks, tally, stop);
  }
  result.bytes = api.bytes();
  result.attempts = api.requests();
  if (!walked) return tl::make_unexpected(with_context(walked.error(), context));
  if (stop.stop_requested()) return fail(Errc::unavailable, context + ": cancelled");
  result.validators.cursor = format_rfc3339(started - kNvdCursorOverlap.count());
  return result;
}

FeedKind nvd_feed_kind() {
  return FeedKind{.name = "nvd",
                  .check = check_section,
                  .read = read_files,
                  .make = [](const config::FeedConfig& c) -> std::unique_ptr<Feed> {
                    if (!is_http(c.url)) return nullptr;
                    return std::make_unique<NvdFeed>(c);
                  }};
}

}  // namespace patchparty::feeds
