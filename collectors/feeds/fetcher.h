// The one way patchparty downloads: the HTTP client (core/base/http_client.h) for http(s)://,
// plain reads for file:// and local paths. Bodies land in a temp file in the download directory
// and are renamed into place only when complete, so a cut connection never leaves a half file
// where a good one is expected.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <stop_token>
#include <string>
#include <string_view>

#include "core/base/result.h"

namespace patchparty::feeds {

// What the store keeps of a feed's last good sync: the conditional-GET validators, and for a
// feed that syncs incrementally how far the source's change index has been applied and how many
// records it holds.
struct FetchState {
  std::string etag;
  std::string last_modified;
  std::string cursor;  // the feed's own spelling; empty: no incremental sync yet
  std::int64_t records = 0;
};

struct FetchOptions {
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(15)};
  std::chrono::milliseconds total_timeout{std::chrono::minutes(10)};
  std::uint64_t max_bytes = 1ull << 30;  // after content decoding
  int max_redirects = 5;
  int max_attempts = 4;  // 1 + retries, on 5xx, 429, timeouts, resets
  std::chrono::milliseconds backoff{std::chrono::seconds(1)};  // doubled each retry, with jitter
  std::string ca_path;  // a CA bundle file or directory; empty: system default
};

// Called during a transfer with bytes done and total (0 when unknown).
using ProgressFn = std::function<void(std::uint64_t done, std::uint64_t total)>;

struct FetchResult {
  bool not_modified = false;   // 304, or an unchanged local file: nothing to parse
  std::filesystem::path path;  // the complete body (or the local file/dir itself); empty if 304
  bool is_directory = false;   // a local directory of records
  FetchState validators;       // to store after a successful ingest
  long http_status = 0;
  std::uint64_t bytes = 0;
  int attempts = 0;
};

// Part of a resource, read into memory: `length` bytes from `offset` (0: to the end).
struct ByteRange {
  std::uint64_t offset = 0;
  std::uint64_t length = 0;
};

struct FetchedBytes {
  std::string body;
  // The body runs to the resource's end: it is shorter than asked, or the server sent the whole
  // resource instead of the range (a 200 to a range request, which is allowed).
  bool reached_end = false;
  bool whole = false;       // the body is the resource from its first byte to its last
  std::uint64_t bytes = 0;  // downloaded (the whole resource when the server ignored the range)
  int attempts = 0;
};

class Fetcher {
 public:
  // `download_dir` (in the state dir) holds temp and finished downloads.
  Fetcher(std::filesystem::path download_dir, std::string user_agent);

  // `name` names the download file ("osv-npm"): one file per feed, replaced on each success.
  // Errors: unavailable (network, 5xx after retries), not_found (404, missing file),
  // failed_precondition (other 4xx, TLS), resource_exhausted (over max_bytes), data_loss
  // (truncated body, bad encoding), deadline_exceeded (total timeout); unavailable too when
  // `stop` is requested, which aborts a transfer within about a second.
  [[nodiscard]] Result<FetchResult> fetch(std::string_view url, std::string_view name,
                                          const FetchState& previous, const FetchOptions& options,
                                          const ProgressFn& progress = {},
                                          std::stop_token stop = {});

  // A small resource, or a range of one, into memory; file:// and local paths are read with
  // pread. Ranges are asked for with an HTTP Range header; a server that does not do ranges
  // answers with the whole body, which is returned as it is (whole = true). A range past the end
  // (416) is an empty body that reached the end. Errors as for fetch(); no conditional GET.
  [[nodiscard]] Result<FetchedBytes> fetch_bytes(std::string_view url, ByteRange range,
                                                 const FetchOptions& options,
                                                 std::stop_token stop = {});

  const std::filesystem::path& download_dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  std::string user_agent_;
};

}  // namespace patchparty::feeds
