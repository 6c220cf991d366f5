#include "collectors/feeds/debian_tracker.h"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <memory>
#include <optional>
#include <utility>

#include "collectors/feeds/debian_releases.h"
#include "core/base/c_handles.h"
#include "core/base/error_context.h"

namespace patchparty::feeds {

namespace {

constexpr std::size_t kMaxSkipExamples = 5;
constexpr std::uint64_t kProgressStep = 1u << 20;

// A buffered read of a FILE*, shaped as a RapidJSON input stream. Unlike rapidjson's
// FileReadStream it tells end of file from a NUL byte and a read error from end of file, and it
// stops at a byte limit, so none of those is mistaken for a short but complete document.
class FileStream {
 public:
  using Ch = char;

  FileStream(std::FILE* file, std::uint64_t max_bytes) : file_(file), max_bytes_(max_bytes) {
    fill();
  }

  Ch Peek() const { return pos_ < len_ ? buf_[pos_] : '\0'; }
  Ch Take() {
    if (pos_ >= len_) return '\0';
    Ch c = buf_[pos_++];
    if (pos_ == len_) fill();
    return c;
  }
  std::size_t Tell() const { return static_cast<std::size_t>(consumed_ + pos_); }
  bool at_end() const { return pos_ >= len_; }
  bool read_error() const { return read_error_; }
  bool over_limit() const { return over_limit_; }

  // Input streams only; RapidJSON asks for these to compile.
  Ch* PutBegin() { return nullptr; }
  void Put(Ch) {}
  void Flush() {}
  std::size_t PutEnd(Ch*) { return 0; }

 private:
  void fill() {
    consumed_ += len_;
    pos_ = len_ = 0;
    if (consumed_ >= max_bytes_) {
      // One byte past the limit tells a file of exactly max_bytes from a longer one.
      if (std::fgetc(file_) != EOF) over_limit_ = true;
      return;
    }
    std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(sizeof buf_, max_bytes_ - consumed_));
    len_ = std::fread(buf_, 1, want, file_);
    if (len_ < want && std::ferror(file_)) read_error_ = true;
  }

  std::FILE* file_;
  std::uint64_t max_bytes_;
  std::uint64_t consumed_ = 0;  // bytes before buf_[0]
  std::size_t pos_ = 0;
  std::size_t len_ = 0;
  bool read_error_ = false;
  bool over_limit_ = false;
  char buf_[1 << 16];
};

// Bytes in memory as a RapidJSON input stream that knows its end (a NUL byte is not the end).
class ViewStream {
 public:
  using Ch = char;

  explicit ViewStream(std::string_view text) : text_(text) {}

  Ch Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  Ch Take() { return pos_ < text_.size() ? text_[pos_++] : '\0'; }
  std::size_t Tell() const { return pos_; }
  bool at_end() const { return pos_ >= text_.size(); }
  bool read_error() const { return false; }
  bool over_limit() const { return false; }

  Ch* PutBegin() { return nullptr; }
  void Put(Ch) {}
  void Flush() {}
  std::size_t PutEnd(Ch*) { return 0; }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

// Ends the input once too many bytes pass without a parse event. RapidJSON buffers a whole
// string before handing it over, so this cap is what bounds memory against one huge token.
template <class Inner>
class TokenCapStream {
 public:
  using Ch = char;

  TokenCapStream(Inner& inner, std::size_t cap) : inner_(inner), cap_(cap) {}

  Ch Peek() const { return since_event_ >= cap_ ? '\0' : inner_.Peek(); }
  Ch Take() {
    if (since_event_ >= cap_) return '\0';
    ++since_event_;
    return inner_.Take();
  }
  std::size_t Tell() const { return inner_.Tell(); }

  void event() { since_event_ = 0; }
  bool capped() const { return since_event_ >= cap_; }

  Ch* PutBegin() { return nullptr; }
  void Put(Ch) {}
  void Flush() {}
  std::size_t PutEnd(Ch*) { return 0; }

 private:
  Inner& inner_;
  std::size_t cap_;
  std::size_t since_event_ = 0;
};

bool clean_token(std::string_view s) {
  if (s.empty()) return false;
  return std::none_of(s.begin(), s.end(),
                      [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == 0x7f; });
}

// One release entry of one CVE, as far as it has been read.
struct ReleaseEntry {
  std::string codename;
  std::optional<std::string> status, fixed_version, urgency, nodsa, nodsa_reason;
};

// The SAX state machine. The document has a fixed shape, so a state per position replaces a
// stack; fields we do not read are skipped by counting nesting depth.
template <class Stream>
class Handler : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Handler<Stream>> {
 public:
  Handler(TokenCapStream<Stream>& in, std::uint64_t total, const DebianTrackerOptions& options,
          const std::function<Result<>(Advisory&&)>& sink, DebianTrackerStats& stats)
      : in_(in), total_(total), options_(options), sink_(sink), stats_(stats) {}

  // Set when the handler stopped the parse: a structure error or the sink's own error.
  std::optional<Error>& error() { return error_; }

  bool Null() { return scalar(Kind::null, {}); }
  bool Default() { return scalar(Kind::other, {}); }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    return scalar(Kind::string, std::string_view(s, n));
  }

  bool StartObject() {
    tick();
    if (skip_depth_ > 0) {
      ++skip_depth_;
      return true;
    }
    switch (state_) {
      case State::start:
        state_ = State::packages;
        return true;
      case State::package_value:
        ++stats_.packages;
        state_ = State::cves;
        return true;
      case State::cve_value:
        state_ = State::cve_fields;
        return true;
      case State::releases_value:
        state_ = State::releases;
        return true;
      case State::release_value:
        state_ = State::release_fields;
        return true;
      case State::skip_value:
        skip_depth_ = 1;
        return true;
      default:
        return unexpected("an object");
    }
  }

  bool Key(const char* s, rapidjson::SizeType n, bool) {
    tick();
    if (skip_depth_ > 0) return true;
    std::string_view key(s, n);
    switch (state_) {
      case State::packages:
        package_.assign(key);
        state_ = State::package_value;
        return true;
      case State::cves:
        begin_cve(key);
        state_ = State::cve_value;
        return true;
      case State::cve_fields:
        if (key == "description") {
          target_ = &description_;
          state_ = State::string_value;
          after_string_ = State::cve_fields;
        } else if (key == "releases") {
          state_ = State::releases_value;
        } else {
          state_ = State::skip_value;
          after_skip_ = State::cve_fields;
        }
        return true;
      case State::releases:
        release_ = ReleaseEntry{};
        release_.codename.assign(key);
        state_ = State::release_value;
        return true;
      case State::release_fields:
        target_ = release_field(key);
        if (target_) {
          state_ = State::string_value;
          after_string_ = State::release_fields;
        } else {
          state_ = State::skip_value;
          after_skip_ = State::release_fields;
        }
        return true;
      default:
        return fail_here("unexpected key '" + std::string(key) + "'");
    }
  }

  bool EndObject(rapidjson::SizeType) {
    tick();
    if (skip_depth_ > 0) return end_skipped();
    switch (state_) {
      case State::packages:
        state_ = State::done;
        return true;
      case State::cves:
        state_ = State::packages;
        package_.clear();
        return true;
      case State::cve_fields: {
        state_ = State::cves;
        bool ok = end_cve();
        cve_.clear();
        return ok;
      }
      case State::releases:
        state_ = State::cve_fields;
        return true;
      case State::release_fields:
        state_ = State::releases;
        end_release();
        return true;
      default:
        return fail_here("unexpected end of object");
    }
  }

  bool StartArray() {
    tick();
    if (skip_depth_ > 0) {
      ++skip_depth_;
      return true;
    }
    if (state_ == State::skip_value) {
      skip_depth_ = 1;
      return true;
    }
    return unexpected("an array");
  }

  bool EndArray(rapidjson::SizeType) {
    tick();
    if (skip_depth_ > 0) return end_skipped();
    return fail_here("unexpected end of array");
  }

 private:
  enum class State {
    start,           // before the top-level object
    packages,        // in {package: …}, before a key
    package_value,   // after a package key
    cves,            // in {CVE: …}
    cve_value,       // after a CVE key
    cve_fields,      // in a CVE entry
    releases_value,  // after "releases"
    releases,        // in {codename: …}
    release_value,   // after a codename
    release_fields,  // in a release entry
    string_value,    // after a field read as a string
    skip_value,      // after a field we ignore
    done,
  };
  enum class Kind { null, string, other };

  void tick() {
    in_.event();
    std::uint64_t at = in_.Tell();
    if (options_.progress && at >= next_progress_) {
      options_.progress(at, total_);
      next_progress_ = at + kProgressStep;
    }
  }

  bool scalar(Kind kind, std::string_view value) {
    tick();
    if (skip_depth_ > 0) return true;
    switch (state_) {
      case State::skip_value:
        state_ = after_skip_;
        return true;
      case State::string_value:
        state_ = after_string_;
        if (kind == Kind::string) {
          target_->emplace(value);
          return true;
        }
        if (kind == Kind::null) return true;  // the same as an absent field
        return fail_here("expected a string");
      default:
        return unexpected(kind == Kind::string ? "a string" : "a scalar");
    }
  }

  bool end_skipped() {
    if (--skip_depth_ == 0) state_ = after_skip_;
    return true;
  }

  std::optional<std::string>* release_field(std::string_view key) {
    if (key == "status") return &release_.status;
    if (key == "fixed_version") return &release_.fixed_version;
    if (key == "urgency") return &release_.urgency;
    if (key == "nodsa") return &release_.nodsa;
    if (key == "nodsa_reason") return &release_.nodsa_reason;
    return nullptr;
  }

  bool unexpected(std::string_view got) {
    const char* want = "a value";
    switch (state_) {
      case State::start:
        want = "an object of source packages";
        break;
      case State::package_value:
        want = "an object of CVEs";
        break;
      case State::cve_value:
        want = "an object (the CVE entry)";
        break;
      case State::releases_value:
        want = "an object of releases";
        break;
      case State::release_value:
        want = "an object (the release entry)";
        break;
      case State::string_value:
        want = "a string";
        break;
      default:
        break;
    }
    return fail_here("expected " + std::string(want) + ", got " + std::string(got));
  }

  bool fail_here(std::string what) {
    std::string where = "debian tracker: byte " + std::to_string(in_.Tell());
    if (!package_.empty()) where += ": " + package_;
    if (!cve_.empty()) where += " " + cve_;
    error_ = Error{Errc::data_loss, where + ": " + what};
    return false;
  }

  void skip(std::string reason) {
    ++stats_.skipped;
    if (stats_.skipped_examples.size() < kMaxSkipExamples)
      stats_.skipped_examples.push_back(package_ + " " + cve_ + ": " + std::move(reason));
  }

  void begin_cve(std::string_view id) {
    ++stats_.cves;
    cve_.assign(id);
    description_.reset();
    affected_.clear();
    urgencies_.clear();
  }

  bool kept(std::string_view codename) const {
    if (options_.releases.empty()) return true;
    return std::find(options_.releases.begin(), options_.releases.end(), codename) !=
           options_.releases.end();
  }

  void end_release() {
    const ReleaseEntry& r = release_;
    auto ecosystem = debian_ecosystem(r.codename);
    if (!ecosystem) return skip("unknown release '" + r.codename + "'");
    if (!kept(r.codename)) {
      ++stats_.filtered;
      return;
    }
    for (const auto& a : affected_) {
      // A repeated key would otherwise give one release two answers.
      if (a.ecosystem == *ecosystem) return skip(r.codename + ": release listed twice");
    }
    if (!r.status) return skip(r.codename + ": no status");
    Affected a;
    a.ecosystem = std::move(*ecosystem);
    a.name = package_;
    const std::string& status = *r.status;
    if (status == "resolved") {
      if (!r.fixed_version) return skip(r.codename + ": resolved without fixed_version");
      if (*r.fixed_version == "0") {
        ++stats_.not_affected;
        return;
      }
      if (!clean_token(*r.fixed_version))
        return skip(r.codename + ": unusable fixed_version '" + *r.fixed_version + "'");
      a.fix_status = FixStatus::fixed;
      a.ranges.push_back(Range{
          Range::Type::ecosystem,
          {{RangeEvent::Kind::introduced, "0"}, {RangeEvent::Kind::fixed, *r.fixed_version}}});
    } else {
      if (r.urgency && *r.urgency == "end-of-life") {
        a.fix_status = FixStatus::end_of_life;
      } else if (status == "undetermined") {
        a.fix_status = FixStatus::undetermined;
      } else if (status == "open") {
        std::string_view reason = r.nodsa_reason ? std::string_view(*r.nodsa_reason) : "";
        if (reason == "postponed")
          a.fix_status = FixStatus::postponed;
        else if (reason == "ignored")
          a.fix_status = FixStatus::ignored;
        else if (r.nodsa || r.nodsa_reason)
          a.fix_status = FixStatus::no_dsa;
        else
          a.fix_status = FixStatus::unfixed;
      } else {
        return skip(r.codename + ": unknown status '" + status + "'");
      }
      a.ranges.push_back(Range{Range::Type::ecosystem, {{RangeEvent::Kind::introduced, "0"}}});
    }
    if (r.urgency && !r.urgency->empty() && *r.urgency != "end-of-life" &&
        std::find(urgencies_.begin(), urgencies_.end(), *r.urgency) == urgencies_.end())
      urgencies_.push_back(*r.urgency);
    affected_.push_back(std::move(a));
  }

  bool end_cve() {
    if (affected_.empty()) {
      ++stats_.empty;
      return true;
    }
    if (!clean_token(cve_)) {
      skip("unusable id '" + cve_ + "'");
      return true;
    }
    // Names reach labels, the store and command lines: the same rules as for ids.
    if (!clean_token(package_)) {
      skip("unusable package name '" + package_ + "'");
      return true;
    }
    Advisory adv;
    adv.id = cve_;
    adv.feed = std::string(kDebianTrackerFeed);
    if (description_) adv.summary = std::move(*description_);
    for (auto& u : urgencies_) adv.severity.push_back(Severity{"urgency", std::move(u), {}});
    stats_.affected += affected_.size();
    adv.affected = std::move(affected_);
    affected_.clear();
    ++stats_.records;
    auto r = sink_(std::move(adv));
    if (!r) {
      error_ = std::move(r).error();
      return false;
    }
    return true;
  }

  TokenCapStream<Stream>& in_;
  std::uint64_t total_;
  std::uint64_t next_progress_ = 0;
  const DebianTrackerOptions& options_;
  const std::function<Result<>(Advisory&&)>& sink_;
  DebianTrackerStats& stats_;
  std::optional<Error> error_;

  State state_ = State::start;
  State after_string_ = State::start;
  State after_skip_ = State::start;
  std::size_t skip_depth_ = 0;
  std::optional<std::string>* target_ = nullptr;

  std::string package_;
  std::string cve_;
  std::optional<std::string> description_;
  ReleaseEntry release_;
  std::vector<Affected> affected_;
  std::vector<std::string> urgencies_;
};

Result<> check_options(const DebianTrackerOptions& options) {
  for (const auto& r : options.releases) {
    if (!debian_release_number(r))
      return fail(Errc::invalid_argument, "debian tracker: unknown release '" + r + "'");
  }
  return {};
}

template <class Stream>
Result<DebianTrackerStats> parse_stream(Stream& inner, std::uint64_t total,
                                        const DebianTrackerOptions& options,
                                        const std::function<Result<>(Advisory&&)>& sink) {
  PP_CHECK(check_options(options));
  DebianTrackerStats stats;
  TokenCapStream<Stream> in(inner, kMaxDebianTrackerTokenBytes);
  Handler<Stream> handler(in, total, options, sink, stats);
  rapidjson::Reader reader;
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseStopWhenDoneFlag |
                              rapidjson::kParseValidateEncodingFlag;
  rapidjson::ParseResult ok = reader.Parse<kFlags>(in, handler);
  stats.bytes = inner.Tell();
  if (inner.read_error())
    return fail(Errc::unavailable,
                "debian tracker: read error at byte " + std::to_string(inner.Tell()));
  if (inner.over_limit())
    return fail(Errc::resource_exhausted, "debian tracker: over the limit of " +
                                              std::to_string(kMaxDebianTrackerBytes) + " bytes");
  if (handler.error()) return tl::make_unexpected(std::move(*handler.error()));
  if (in.capped())
    return fail(Errc::resource_exhausted,
                "debian tracker: byte " + std::to_string(in.Tell()) + ": a token longer than " +
                    std::to_string(kMaxDebianTrackerTokenBytes) + " bytes");
  if (!ok)
    return fail(Errc::data_loss, "debian tracker: invalid JSON at byte " +
                                     std::to_string(ok.Offset()) + ": " +
                                     rapidjson::GetParseError_En(ok.Code()));
  while (inner.Peek() == ' ' || inner.Peek() == '\t' || inner.Peek() == '\n' ||
         inner.Peek() == '\r')
    inner.Take();
  if (!inner.at_end())
    return fail(Errc::data_loss, "debian tracker: byte " + std::to_string(inner.Tell()) +
                                     ": data after the end of the document");
  stats.bytes = inner.Tell();
  if (options.progress) options.progress(stats.bytes, total);
  return stats;
}

}  // namespace

Result<DebianTrackerStats> parse_debian_tracker(std::string_view json,
                                                const DebianTrackerOptions& options,
                                                const std::function<Result<>(Advisory&&)>& sink) {
  ViewStream in(json);
  return parse_stream(in, json.size(), options, sink);
}

Result<DebianTrackerStats> read_debian_tracker(const std::filesystem::path& file,
                                               const DebianTrackerOptions& options,
                                               const std::function<Result<>(Advisory&&)>& sink) {
  File f(std::fopen(file.c_str(), "rb"));
  if (!f) return tl::make_unexpected(errno_error(errno, file.string()));
  std::error_code ec;
  std::uint64_t total = std::filesystem::file_size(file, ec);
  if (ec) total = 0;
  if (total > kMaxDebianTrackerBytes)
    return fail(Errc::resource_exhausted, file.string() + ": " + std::to_string(total) +
                                              " bytes, over the limit of " +
                                              std::to_string(kMaxDebianTrackerBytes));
  // The stream buffer is 64 KiB: keep it off the stack of whatever thread runs the refresh.
  auto in = std::make_unique<FileStream>(f.get(), kMaxDebianTrackerBytes);
  return with_context(parse_stream(*in, total, options, sink), file.string());
}

namespace {

Result<ReadStats> read_feed(const FetchResult& f, const config::FeedConfig& c,
                            const FeedSinks& sinks) {
  DebianTrackerOptions o;
  o.releases = debian_codenames(c.only);
  o.progress = sinks.progress;
  PP_TRY(s, read_debian_tracker(f.path, o, sinks.advisory));
  return ReadStats{s.records, s.skipped + s.empty, s.skipped_examples};
}

}  // namespace

FeedKind debian_tracker_feed_kind() {
  return FeedKind{.name = "debian-tracker", .check = nullptr, .read = read_feed, .make = nullptr};
}

}  // namespace patchparty::feeds
