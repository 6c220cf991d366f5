#include "collectors/feeds/osv_change_fetch.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

#include "core/base/c_handles.h"
#include "core/base/error_context.h"

namespace patchparty::feeds {

namespace {

std::optional<std::filesystem::path> local_path(std::string_view url) {
  if (url.starts_with("file://")) return std::filesystem::path(std::string(url.substr(7)));
  if (url.starts_with("/")) return std::filesystem::path(std::string(url));
  return std::nullopt;
}

Result<> write_file(const std::filesystem::path& path, std::string_view bytes) {
  File out(std::fopen(path.c_str(), "wbe"));
  if (!out) return tl::make_unexpected(errno_error(errno, path.string()));
  if (std::fwrite(bytes.data(), 1, bytes.size(), out.get()) != bytes.size())
    return tl::make_unexpected(errno_error(errno, path.string()));
  if (std::fflush(out.get()) != 0) return tl::make_unexpected(errno_error(errno, path.string()));
  return {};
}

}  // namespace

bool is_osv_bucket_url(std::string_view url) {
  if (!url.ends_with('/')) return false;
  auto local = local_path(url);
  if (!local) return url.starts_with("http://") || url.starts_with("https://");
  std::error_code ec;
  return std::filesystem::is_regular_file(*local / "all.zip", ec);
}

Result<IndexHead> read_index_head(Fetcher& fetcher, std::string_view csv_url, std::int64_t cursor,
                                  std::size_t max_changed, const FetchOptions& options,
                                  std::stop_token stop) {
  IndexHead out;
  std::string text;
  std::uint64_t length = kFirstIndexRange;
  for (;;) {
    if (stop.stop_requested()) return fail(Errc::unavailable, std::string(csv_url) + ": cancelled");
    PP_TRY(got, fetcher.fetch_bytes(csv_url, ByteRange{text.size(), length}, options, stop));
    out.bytes += got.bytes;
    if (got.whole) {
      text = std::move(got.body);
    } else {
      text += got.body;
    }
    const bool end = got.reached_end;
    // Only whole lines are read until the end: a row cut by the range is not yet a row.
    const std::size_t last_line_end = text.rfind('\n');
    std::string_view complete = end ? std::string_view(text)
                                : last_line_end == std::string::npos
                                    ? std::string_view()
                                    : std::string_view(text).substr(0, last_line_end + 1);
    if (!complete.empty() || end) {
      PP_TRY(since, read_modified_since(complete, cursor, max_changed, csv_url));
      if (end || since.reached_cursor || since.over_limit) {
        out.since = std::move(since);
        return out;
      }
    }
    length = std::min(length * 2, kMaxIndexRange);
  }
}

Result<FetchedRecords> fetch_records(Fetcher& fetcher, std::string_view prefix,
                                     const std::vector<ModifiedId>& ids,
                                     const std::filesystem::path& folder, std::size_t concurrency,
                                     const FetchOptions& options, const ProgressFn& progress,
                                     std::stop_token stop) {
  FetchedRecords out;
  out.files.resize(ids.size());
  if (auto local = local_path(prefix)) {
    for (std::size_t i = 0; i < ids.size(); ++i) {
      const auto file = *local / (ids[i].id + ".json");
      std::error_code ec;
      const auto size = std::filesystem::file_size(file, ec);
      if (ec) return tl::make_unexpected(errno_error(ec.value(), "record " + file.string()));
      out.files[i] = file;
      out.bytes += size;
      if (progress) progress(i + 1, ids.size());
    }
    return out;
  }
  std::error_code ec;
  std::filesystem::remove_all(folder, ec);
  std::filesystem::create_directories(folder, ec);
  if (ec) return tl::make_unexpected(errno_error(ec.value(), folder.string()));

  std::atomic<std::size_t> next{0};
  std::atomic<std::uint64_t> bytes{0};
  std::mutex mu;
  std::optional<Error> first_error;
  std::size_t done = 0;
  std::atomic<bool> failed{false};
  auto work = [&] {
    for (;;) {
      const std::size_t i = next.fetch_add(1);
      if (i >= ids.size() || failed.load() || stop.stop_requested()) return;
      const std::string url = std::string(prefix) + ids[i].id + ".json";
      auto got = fetcher.fetch_bytes(url, ByteRange{}, options, stop);
      Result<> written;
      if (got) {
        bytes += got->bytes;
        out.files[i] = folder / (std::to_string(i) + ".json");
        written = write_file(out.files[i], got->body);
      }
      std::lock_guard lock(mu);
      if (!got || !written) {
        if (!first_error)
          first_error = with_context(got ? written.error() : got.error(), "record " + ids[i].id);
        failed = true;
        return;
      }
      if (progress) progress(++done, ids.size());
    }
  };
  {
    std::vector<std::jthread> workers;
    const std::size_t n =
        std::clamp<std::size_t>(concurrency, 1, std::max<std::size_t>(ids.size(), 1));
    for (std::size_t t = 0; t < n; ++t) workers.emplace_back(work);
  }
  out.bytes = bytes.load();
  if (first_error) return tl::make_unexpected(*first_error);
  if (stop.stop_requested()) return fail(Errc::unavailable, std::string(prefix) + ": cancelled");
  return out;
}

}  // namespace patchparty::feeds
