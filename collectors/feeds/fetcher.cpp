#include "collectors/feeds/fetcher.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <system_error>

#include "core/base/c_handles.h"
#include "core/base/http_client.h"

namespace patchparty::feeds {

namespace {

// The body goes to NAME.part, started afresh for each attempt, and is renamed into place only
// when the whole download succeeded.
class PartFile final : public HttpSink {
 public:
  explicit PartFile(std::filesystem::path path) : path_(std::move(path)) {}

  Result<void> restart() override {
    out_ = File(std::fopen(path_.c_str(), "wb"));
    if (!out_) return tl::make_unexpected(errno_error(errno, path_.string()));
    return {};
  }
  Result<void> write(std::string_view bytes) override {
    if (std::fwrite(bytes.data(), 1, bytes.size(), out_.get()) != bytes.size())
      return tl::make_unexpected(errno_error(errno, path_.string() + ": writing the download"));
    return {};
  }
  // Flushes and closes; a full disk shows here at the latest.
  Result<void> close() {
    if (!out_) return {};
    const bool flushed = std::fflush(out_.get()) == 0;
    const int flush_errno = errno;
    out_.reset();
    if (!flushed) return tl::make_unexpected(errno_error(flush_errno, path_.string()));
    return {};
  }
  void remove() {
    out_.reset();
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }

 private:
  std::filesystem::path path_;
  File out_;
};

}  // namespace

Fetcher::Fetcher(std::filesystem::path download_dir, std::string user_agent)
    : dir_(std::move(download_dir)), user_agent_(std::move(user_agent)) {}

namespace {

Result<FetchResult> fetch_local(const std::filesystem::path& path, const FetchState& previous,
                                const FetchOptions& options) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return tl::make_unexpected(errno_error(errno, path.string()));
  FetchResult r;
  r.path = path;
  r.attempts = 1;
  if (S_ISDIR(st.st_mode)) {
    r.is_directory = true;  // a folder of records is always read: its mtime misses edits inside
    return r;
  }
  if (static_cast<std::uint64_t>(st.st_size) > options.max_bytes)
    return fail(Errc::resource_exhausted, path.string() + ": " + std::to_string(st.st_size) +
                                              " bytes, over the limit of " +
                                              std::to_string(options.max_bytes));
  // A local file's validator is its mtime and size, the way HTTP servers derive an ETag.
  r.validators.last_modified = "mtime:" + std::to_string(st.st_mtim.tv_sec) + "." +
                               std::to_string(st.st_mtim.tv_nsec) + ":" +
                               std::to_string(st.st_size);
  r.bytes = static_cast<std::uint64_t>(st.st_size);
  if (!previous.last_modified.empty() && previous.last_modified == r.validators.last_modified) {
    r.not_modified = true;
    r.path.clear();
  }
  return r;
}

// Every feed request makes the same transfer choices; only headers differ.
HttpRequest feed_request(std::string_view url, const FetchOptions& options,
                         const std::string& user_agent) {
  HttpRequest request;
  request.url = std::string(url);
  request.protocols = HttpProtocols::http_and_https;
  request.connect_timeout = options.connect_timeout;
  request.timeout = options.total_timeout;
  request.max_body_bytes = options.max_bytes;
  request.max_redirects = options.max_redirects;
  request.decode_content = true;
  request.tls.ca_path = options.ca_path;
  request.user_agent = user_agent;
  request.retry = HttpRetry{.max_attempts = options.max_attempts, .backoff = options.backoff};
  return request;
}

Result<FetchedBytes> read_local_bytes(const std::filesystem::path& path, ByteRange range,
                                      const FetchOptions& options) {
  File file(std::fopen(path.c_str(), "rbe"));
  if (!file) return tl::make_unexpected(errno_error(errno, path.string()));
  const int fd = ::fileno(file.get());
  struct stat st {};
  if (::fstat(fd, &st) != 0) return tl::make_unexpected(errno_error(errno, path.string()));
  if (!S_ISREG(st.st_mode)) return fail(Errc::invalid_argument, path.string() + ": not a file");
  const auto size = static_cast<std::uint64_t>(st.st_size);
  const std::uint64_t start = std::min(range.offset, size);
  std::uint64_t want = range.length == 0 ? size - start : std::min(range.length, size - start);
  if (want > options.max_bytes)
    return fail(Errc::resource_exhausted, path.string() + ": " + std::to_string(want) +
                                              " bytes, over the limit of " +
                                              std::to_string(options.max_bytes));
  FetchedBytes out;
  out.body.resize(want);
  std::uint64_t done = 0;
  while (done < want) {
    const ssize_t n =
        ::pread(fd, out.body.data() + done, want - done, static_cast<off_t>(start + done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return tl::make_unexpected(errno_error(errno, path.string()));
    if (n == 0) break;  // shrank under us: what was read is what there is
    done += static_cast<std::uint64_t>(n);
  }
  out.body.resize(done);
  out.reached_end = start + done >= size;
  out.whole = start == 0 && out.reached_end;
  out.bytes = done;
  out.attempts = 1;
  return out;
}

}  // namespace

Result<FetchedBytes> Fetcher::fetch_bytes(std::string_view url, ByteRange range,
                                          const FetchOptions& options, std::stop_token stop) {
  if (url.starts_with("file://"))
    return read_local_bytes(std::string(url.substr(7)), range, options);
  if (url.starts_with("/")) return read_local_bytes(std::string(url), range, options);
  if (!url.starts_with("http://") && !url.starts_with("https://"))
    return fail(Errc::invalid_argument, "unsupported URL '" + std::string(url) + "'");
  HttpRequest request = feed_request(url, options, user_agent_);
  const bool ranged = range.offset > 0 || range.length > 0;
  if (ranged) {
    std::string spec = "Range: bytes=" + std::to_string(range.offset) + "-";
    if (range.length > 0) spec += std::to_string(range.offset + range.length - 1);
    request.headers.push_back(std::move(spec));
  }
  PP_TRY(response, http_send(request, stop));
  FetchedBytes out;
  out.attempts = response.attempts;
  out.bytes = response.bytes;
  if (response.status == 416 && ranged) {
    out.reached_end = true;
    return out;
  }
  if (response.status == 206 && ranged) {
    out.reached_end = range.length == 0 || response.body.size() < range.length;
    out.whole = range.offset == 0 && out.reached_end;
    out.body = std::move(response.body);
    return out;
  }
  if (response.status == 200) {
    out.reached_end = true;
    out.whole = true;
    out.body = std::move(response.body);
    return out;
  }
  return tl::make_unexpected(http_status_error(url, response.status));
}

Result<FetchResult> Fetcher::fetch(std::string_view url, std::string_view name,
                                   const FetchState& previous, const FetchOptions& options,
                                   const ProgressFn& progress, std::stop_token stop) {
  if (url.starts_with("file://")) return fetch_local(std::string(url.substr(7)), previous, options);
  if (url.starts_with("/")) return fetch_local(std::string(url), previous, options);
  if (!url.starts_with("http://") && !url.starts_with("https://"))
    return fail(Errc::invalid_argument, "unsupported URL '" + std::string(url) + "'");
  if (name.empty() || name.find('/') != std::string_view::npos || name.starts_with("."))
    return fail(Errc::invalid_argument, "bad download name '" + std::string(name) + "'");

  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return tl::make_unexpected(errno_error(ec.value(), dir_.string()));
  const std::filesystem::path part = dir_ / (std::string(name) + ".part");
  const std::filesystem::path final_path = dir_ / std::string(name);

  HttpRequest request = feed_request(url, options, user_agent_);
  if (!previous.etag.empty()) request.headers.push_back("If-None-Match: " + previous.etag);
  if (!previous.last_modified.empty() && !previous.last_modified.starts_with("mtime:"))
    request.headers.push_back("If-Modified-Since: " + previous.last_modified);

  PartFile sink(part);
  auto response = http_send(request, stop, &sink, progress);
  auto closed = sink.close();
  if (!response) {
    sink.remove();
    return tl::make_unexpected(std::move(response).error());
  }
  if (!closed) {
    sink.remove();
    return tl::make_unexpected(std::move(closed).error());
  }
  const long status = response->status;
  if (status == 304) {
    sink.remove();
    FetchResult r;
    r.not_modified = true;
    r.validators = previous;
    r.http_status = status;
    r.attempts = response->attempts;
    return r;
  }
  if (status >= 200 && status < 300) {
    std::filesystem::rename(part, final_path, ec);
    if (ec) return tl::make_unexpected(errno_error(ec.value(), final_path.string()));
    FetchResult r;
    r.path = final_path;
    r.validators.etag = response->etag;
    r.validators.last_modified = response->last_modified;
    r.http_status = status;
    r.bytes = response->bytes;
    r.attempts = response->attempts;
    return r;
  }
  sink.remove();
  return tl::make_unexpected(http_status_error(url, status));
}

}  // namespace patchparty::feeds
