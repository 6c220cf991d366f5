#include "collectors/feeds/fetcher.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <optional>
#include <random>
#include <system_error>
#include <thread>

#include "core/base/c_handles.h"
#include "core/base/log.h"

namespace patchparty::feeds {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == '\r' || s.back() == '\n' || s.back() == ' '))
    s.remove_suffix(1);
  return std::string(s);
}

bool iequals_prefix(std::string_view line, std::string_view name) {
  if (line.size() < name.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(line[i])) != name[i]) return false;
  }
  return true;
}

// State shared with libcurl's callbacks during one attempt.
struct Transfer {
  File out;
  std::uint64_t bytes = 0;
  std::uint64_t max_bytes = 0;
  bool over_limit = false;
  bool write_failed = false;
  int write_errno = 0;
  FetchState validators;
  std::optional<milliseconds> retry_after;
  const ProgressFn* progress = nullptr;
  std::stop_token stop;
};

size_t on_body(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t len = size * n;
  if (t->bytes + len > t->max_bytes) {
    t->over_limit = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  if (std::fwrite(data, 1, len, t->out.get()) != len) {
    t->write_failed = true;
    t->write_errno = errno;
    return 0;
  }
  t->bytes += len;
  return len;
}

size_t on_header(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * n);
  // A redirect's headers come before the final response's: the last value wins.
  if (line.starts_with("HTTP/")) {
    t->validators = FetchState{};
    t->retry_after.reset();
  } else if (iequals_prefix(line, "etag:")) {
    t->validators.etag = trim(line.substr(5));
  } else if (iequals_prefix(line, "last-modified:")) {
    t->validators.last_modified = trim(line.substr(14));
  } else if (iequals_prefix(line, "retry-after:")) {
    std::string v = trim(line.substr(12));
    if (!v.empty() && v.size() < 6 && std::all_of(v.begin(), v.end(), ::isdigit))
      t->retry_after = milliseconds(std::stol(v) * 1000);
  }
  return size * n;
}

int on_progress(void* user, curl_off_t total, curl_off_t done, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  if (t->stop.stop_requested()) return 1;  // CURLE_ABORTED_BY_CALLBACK
  if (t->progress && *t->progress)
    (*t->progress)(static_cast<std::uint64_t>(done), static_cast<std::uint64_t>(total));
  return 0;
}

Error curl_error(CURLcode rc, const Transfer& t, std::string_view url, const char* detail) {
  std::string where = std::string(url) + ": ";
  std::string what = detail && *detail ? detail : curl_easy_strerror(rc);
  switch (rc) {
    case CURLE_WRITE_ERROR:
      if (t.over_limit)
        return Error{Errc::resource_exhausted, where + "body larger than the limit of " +
                                                   std::to_string(t.max_bytes) + " bytes"};
      if (t.write_failed) return errno_error(t.write_errno, where + "writing the download");
      return Error{Errc::internal, where + what};
    case CURLE_ABORTED_BY_CALLBACK:
      return Error{Errc::unavailable, where + "cancelled"};
    case CURLE_OPERATION_TIMEDOUT:
      return Error{Errc::deadline_exceeded, where + what};
    case CURLE_PARTIAL_FILE:
      return Error{Errc::data_loss, where + "truncated body: " + what};
    case CURLE_BAD_CONTENT_ENCODING:
      return Error{Errc::data_loss, where + what};
    case CURLE_TOO_MANY_REDIRECTS:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_URL_MALFORMAT:
      return Error{Errc::failed_precondition, where + what};
    default:
      return Error{Errc::unavailable, where + what};
  }
}

bool retryable_curl(CURLcode rc) {
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

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

}  // namespace

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

  const auto deadline = Clock::now() + options.total_timeout;
  std::mt19937_64 rng(std::random_device{}());
  Error last{Errc::unavailable, std::string(url) + ": no attempt made"};
  for (int attempt = 1; attempt <= std::max(1, options.max_attempts); ++attempt) {
    auto remaining = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    if (remaining <= milliseconds(0)) {
      last = Error{Errc::deadline_exceeded, std::string(url) + ": total timeout of " +
                                                std::to_string(options.total_timeout.count()) +
                                                " ms spent; last error: " + last.message};
      break;
    }
    Transfer t;
    t.out = File(std::fopen(part.c_str(), "wb"));
    if (!t.out) return tl::make_unexpected(errno_error(errno, part.string()));
    t.max_bytes = options.max_bytes;
    t.progress = &progress;
    t.stop = stop;

    Curl curl(curl_easy_init());
    if (!curl) return fail(Errc::internal, "curl_easy_init failed");
    CurlHeaders headers;
    auto add_header = [&](const std::string& h) {
      curl_slist* next = curl_slist_append(headers.get(), h.c_str());
      if (next) {
        (void)headers.release();  // curl_slist_append returns the (same) list head
        headers.reset(next);
      }
    };
    if (!previous.etag.empty()) add_header("If-None-Match: " + previous.etag);
    if (!previous.last_modified.empty() && !previous.last_modified.starts_with("mtime:"))
      add_header("If-Modified-Since: " + previous.last_modified);
    char errbuf[CURL_ERROR_SIZE] = {0};
    CURL* h = curl.get();
    const std::string url_s(url);
    curl_easy_setopt(h, CURLOPT_URL, url_s.c_str());
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, static_cast<long>(options.max_redirects));
    // Redirects may not leave http(s): no file:// or other schemes from a remote server.
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(options.connect_timeout.count()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(remaining.count()));
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");  // every encoding libcurl can decode
    curl_easy_setopt(h, CURLOPT_USERAGENT, user_agent_.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    if (!options.ca_path.empty()) {
      std::error_code dir_ec;
      if (std::filesystem::is_directory(options.ca_path, dir_ec)) {
        curl_easy_setopt(h, CURLOPT_CAPATH, options.ca_path.c_str());
      } else {
        curl_easy_setopt(h, CURLOPT_CAINFO, options.ca_path.c_str());
      }
    }
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(h, CURLOPT_XFERINFODATA, &t);

    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    bool flushed = std::fflush(t.out.get()) == 0;
    int flush_errno = errno;
    t.out.reset();

    bool retry = false;
    if (rc != CURLE_OK) {
      last = curl_error(rc, t, url, errbuf);
      retry = retryable_curl(rc) && !stop.stop_requested();
    } else if (!flushed) {
      last = errno_error(flush_errno, part.string());
    } else if (status == 304) {
      std::filesystem::remove(part, ec);
      FetchResult r;
      r.not_modified = true;
      r.validators = previous;
      r.http_status = status;
      r.attempts = attempt;
      return r;
    } else if (status >= 200 && status < 300) {
      std::filesystem::rename(part, final_path, ec);
      if (ec) return tl::make_unexpected(errno_error(ec.value(), final_path.string()));
      FetchResult r;
      r.path = final_path;
      r.validators = t.validators;
      r.http_status = status;
      r.bytes = t.bytes;
      r.attempts = attempt;
      return r;
    } else if (status == 429 || status >= 500) {
      last = Error{Errc::unavailable, std::string(url) + ": HTTP " + std::to_string(status)};
      retry = true;
    } else if (status == 404 || status == 410) {
      last = Error{Errc::not_found, std::string(url) + ": HTTP " + std::to_string(status)};
    } else {
      last =
          Error{Errc::failed_precondition, std::string(url) + ": HTTP " + std::to_string(status)};
    }
    std::filesystem::remove(part, ec);
    if (!retry || attempt == options.max_attempts) break;

    // Exponential backoff with full jitter, or the server's Retry-After when it fits.
    auto cap = options.backoff * (1LL << std::min(attempt - 1, 10));
    std::uniform_int_distribution<long long> pick(cap.count() / 2, cap.count());
    milliseconds wait(pick(rng));
    if (t.retry_after && *t.retry_after < deadline - Clock::now()) wait = *t.retry_after;
    log::info(std::string(url) + ": attempt " + std::to_string(attempt) + " failed (" +
              last.message + "); retrying in " + std::to_string(wait.count()) + " ms");
    for (auto until = Clock::now() + wait; Clock::now() < until;) {
      if (stop.stop_requested()) return fail(Errc::unavailable, std::string(url) + ": cancelled");
      std::this_thread::sleep_for(std::min<milliseconds>(milliseconds(100), wait));
    }
  }
  return tl::make_unexpected(std::move(last));
}

}  // namespace patchparty::feeds
