#include "collectors/feeds/epss.h"

#include <archive.h>

#include <array>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <memory>
#include <string>

#include "collectors/feeds/kev.h"
#include "core/base/c_handles.h"
#include "core/base/error_context.h"

namespace patchparty::feeds {

namespace {

using ArchivePtr = std::unique_ptr<archive, CFree<archive_read_free>>;

constexpr std::string_view kHeader = "cve,epss,percentile";

bool is_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

// A probability as EPSS writes it ("0.03351", "0.001200000", "1e-05"), nothing around it.
bool parse_unit(std::string_view s, double& out) {
  if (s.empty() || s.front() == '-' || s.front() == '+') return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  // The negated comparison also rejects "nan".
  return ec == std::errc() && end == s.data() + s.size() && out >= 0.0 && out <= 1.0;
}

// Splits the CSV into lines across chunk boundaries; holds at most one partial line.
class EpssParser {
 public:
  explicit EpssParser(const EpssSink& sink) : sink_(sink) {}

  Result<> feed(std::string_view chunk) {
    stats_.bytes += chunk.size();
    while (!chunk.empty()) {
      std::size_t nl = chunk.find('\n');
      std::string_view piece = chunk.substr(0, nl);
      if (pending_.size() + piece.size() > kMaxEpssLineBytes)
        return bad(line_ + 1, "longer than " + std::to_string(kMaxEpssLineBytes) + " bytes");
      if (nl == std::string_view::npos) {
        pending_.append(piece);
        return {};
      }
      if (pending_.empty()) {
        PP_CHECK(line(piece));
      } else {
        pending_.append(piece);
        std::string whole = std::move(pending_);
        pending_.clear();
        PP_CHECK(line(whole));
      }
      chunk.remove_prefix(nl + 1);
    }
    return {};
  }

  Result<EpssStats> finish() {
    if (!pending_.empty()) {
      std::string last = std::move(pending_);
      pending_.clear();
      PP_CHECK(line(last));
    }
    if (state_ != State::rows)
      return fail(Errc::data_loss, line_ == 0 ? std::string("epss: empty input")
                                              : "epss: no header '" + std::string(kHeader) + "'");
    return std::move(stats_);
  }

 private:
  enum class State { first, header, rows };

  tl::unexpected<Error> bad(std::uint64_t line, std::string_view what) const {
    return fail(Errc::data_loss, "epss: line " + std::to_string(line) + ": " + std::string(what));
  }

  Result<> line(std::string_view text) {
    ++line_;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (text.empty()) return {};
    switch (state_) {
      case State::first:
        if (text.front() == '#') {
          state_ = State::header;
          return comment(text.substr(1));
        }
        [[fallthrough]];
      case State::header:
        if (text == kHeader) {
          separator_ = ',';
          state_ = State::rows;
          return {};
        }
        if (text.starts_with("CVE-") && text.find(';') != std::string_view::npos) {
          separator_ = ';';
          state_ = State::rows;
          return row(text);
        }
        return bad(line_, "expected the header '" + std::string(kHeader) + "'");
      case State::rows:
        return row(text);
    }
    return {};
  }

  // "model_version:v2025.03.14,score_date:2025-08-25T00:00:00+0000"; unknown keys are ignored
  // so that FIRST may add some.
  Result<> comment(std::string_view text) {
    while (!text.empty()) {
      std::size_t comma = text.find(',');
      std::string_view item = text.substr(0, comma);
      text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
      std::size_t colon = item.find(':');
      if (colon == std::string_view::npos) continue;
      std::string_view key = item.substr(0, colon);
      std::string_view value = item.substr(colon + 1);
      if (key == "model_version") {
        stats_.model_version = std::string(value);
      } else if (key == "score_date") {
        if (!is_date(value.substr(0, 10)))
          return bad(line_, "score_date does not start with YYYY-MM-DD");
        stats_.score_date = std::string(value.substr(0, 10));
      }
    }
    return {};
  }

  Result<> row(std::string_view text) {
    std::array<std::string_view, 3> field;
    std::size_t n = 0;
    for (;;) {
      std::size_t sep = text.find(separator_);
      if (n == field.size()) return bad(line_, "more than 3 columns");
      field[n++] = text.substr(0, sep);
      if (sep == std::string_view::npos) break;
      text.remove_prefix(sep + 1);
    }
    if (n != field.size()) return bad(line_, "expected 3 columns, found " + std::to_string(n));
    if (!is_cve_id(field[0])) return bad(line_, "not a CVE id");
    EpssScore score;
    if (!parse_unit(field[1], score.probability))
      return bad(line_, "epss is not a number in [0, 1]");
    if (!parse_unit(field[2], score.percentile))
      return bad(line_, "percentile is not a number in [0, 1]");
    score.cve = std::string(field[0]);
    score.date = stats_.score_date;
    PP_CHECK(sink_(std::move(score)));
    ++stats_.rows;
    return {};
  }

  const EpssSink& sink_;
  State state_ = State::first;
  char separator_ = ',';
  std::uint64_t line_ = 0;
  std::string pending_;
  EpssStats stats_;
};

Result<> feed_bounded(EpssParser& parser, std::uint64_t& total, std::string_view chunk) {
  total += chunk.size();
  if (total > kMaxEpssBytes)
    return fail(Errc::resource_exhausted,
                "epss: more than " + std::to_string(kMaxEpssBytes) + " bytes of text");
  return parser.feed(chunk);
}

Result<EpssStats> read_gzip(const std::filesystem::path& path, const EpssSink& sink) {
  ArchivePtr a(archive_read_new());
  if (!a) return fail(Errc::resource_exhausted, "epss: cannot allocate a gzip reader");
  // The raw format hands over the decompressed stream as one entry, without guessing a format.
  archive_read_support_filter_gzip(a.get());
  archive_read_support_format_raw(a.get());
  auto error = [&](std::string_view what) {
    const char* msg = archive_error_string(a.get());
    return fail(Errc::data_loss, "epss: " + std::string(what) + ": " + (msg ? msg : "unknown"));
  };
  if (archive_read_open_filename(a.get(), path.c_str(), 1 << 16) != ARCHIVE_OK)
    return error("cannot open gzip stream");
  archive_entry* entry = nullptr;
  if (archive_read_next_header(a.get(), &entry) != ARCHIVE_OK) return error("corrupt gzip");
  EpssParser parser(sink);
  std::uint64_t total = 0;
  std::array<char, 1 << 16> buf;
  for (;;) {
    la_ssize_t n = archive_read_data(a.get(), buf.data(), buf.size());
    if (n < 0) return error("corrupt gzip");
    if (n == 0) break;
    PP_CHECK(
        feed_bounded(parser, total, std::string_view(buf.data(), static_cast<std::size_t>(n))));
  }
  return parser.finish();
}

Result<EpssStats> read_plain(File file, const EpssSink& sink) {
  EpssParser parser(sink);
  std::uint64_t total = 0;
  std::array<char, 1 << 16> buf;
  for (;;) {
    std::size_t n = std::fread(buf.data(), 1, buf.size(), file.get());
    if (n > 0) PP_CHECK(feed_bounded(parser, total, std::string_view(buf.data(), n)));
    if (n < buf.size()) {
      if (std::ferror(file.get())) return tl::make_unexpected(errno_error(errno, "epss: read"));
      break;
    }
  }
  return parser.finish();
}

Result<EpssStats> read_any(const std::filesystem::path& path, const EpssSink& sink) {
  File file(std::fopen(path.c_str(), "rb"));
  if (!file) return tl::make_unexpected(errno_error(errno, "epss: open"));
  unsigned char magic[2] = {0, 0};
  std::size_t got = std::fread(magic, 1, 2, file.get());
  if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
    file.reset();
    return read_gzip(path, sink);
  }
  std::rewind(file.get());
  return read_plain(std::move(file), sink);
}

}  // namespace

Result<EpssStats> parse_epss(std::string_view csv, const EpssSink& sink) {
  EpssParser parser(sink);
  PP_CHECK(parser.feed(csv));
  return parser.finish();
}

Result<EpssStats> read_epss(const std::filesystem::path& path, const EpssSink& sink) {
  return with_context(read_any(path, sink), path.string());
}

namespace {

Result<ReadStats> read_feed(const FetchResult& f, const config::FeedConfig&,
                            const FeedSinks& sinks) {
  PP_TRY(s, read_epss(f.path, sinks.epss));
  return ReadStats{s.rows, 0, {}};
}

}  // namespace

FeedKind epss_feed_kind() {
  return FeedKind{.name = "epss", .check = nullptr, .read = read_feed, .make = nullptr};
}

}  // namespace patchparty::feeds
