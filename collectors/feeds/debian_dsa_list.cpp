#include "collectors/feeds/debian_dsa_list.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <optional>
#include <utility>

#include "collectors/feeds/debian_releases.h"
#include "core/base/c_handles.h"
#include "core/base/error_context.h"

namespace patchparty::feeds {

namespace {

constexpr std::size_t kMaxSkipExamples = 5;

bool blank(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (blank(s.front()) || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (blank(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// The next blank-separated word of `s`, removed from it.
std::string_view next_word(std::string_view& s) {
  s = trim(s);
  std::size_t end = 0;
  while (end < s.size() && !blank(s[end])) ++end;
  std::string_view word = s.substr(0, end);
  s.remove_prefix(end);
  return word;
}

bool clean_token(std::string_view s) {
  if (s.empty()) return false;
  return std::none_of(s.begin(), s.end(),
                      [](char c) { return static_cast<unsigned char>(c) <= ' ' || c == 0x7f; });
}

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<int> to_int(std::string_view s) {
  if (!digits(s) || s.size() > 4) return std::nullopt;
  int v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

std::optional<int> month_number(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kMonths{
      "January", "February", "March",     "April",   "May",      "June",
      "July",    "August",   "September", "October", "November", "December"};
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    // DSA/DLA use "Mar", DTSA "March".
    if (name == kMonths[i] || (name.size() == 3 && kMonths[i].starts_with(name)))
      return static_cast<int>(i) + 1;
  }
  return std::nullopt;
}

// "27 Mar 2023" or "August 26th, 2005" → "2023-03-27".
std::optional<std::string> iso_date(std::string_view text) {
  std::string_view a = next_word(text), b = next_word(text), c = next_word(text);
  if (a.empty() || b.empty() || c.empty() || !trim(text).empty()) return std::nullopt;
  std::string_view day_text = a, month_text = b;
  if (!digits(a)) {  // long form: month first, "26th,"
    month_text = a;
    day_text = b;
    if (day_text.ends_with(',')) day_text.remove_suffix(1);
    for (std::string_view suffix : {"st", "nd", "rd", "th"}) {
      if (day_text.ends_with(suffix)) {
        day_text.remove_suffix(2);
        break;
      }
    }
  }
  auto day = to_int(day_text), month = month_number(month_text), year = to_int(c);
  if (!day || !month || !year || *day < 1 || *day > 31 || c.size() != 4) return std::nullopt;
  char out[11];
  std::snprintf(out, sizeof out, "%04d-%02d-%02d", *year, *month, *day);
  return std::string(out);
}

// DSA-3029-1, DSA-135 (old DSAs had no revision), DLA-3012-1, DTSA-1-1.
bool advisory_id(std::string_view id) {
  std::string_view rest;
  for (std::string_view prefix : {"DSA-", "DLA-", "DTSA-"}) {
    if (id.starts_with(prefix)) {
      rest = id.substr(prefix.size());
      break;
    }
  }
  if (rest.empty()) return false;
  std::size_t dash = rest.find('-');
  if (dash == std::string_view::npos) return digits(rest);
  return digits(rest.substr(0, dash)) && digits(rest.substr(dash + 1));
}

std::string collapse_blanks(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::string_view rest = s;;) {
    std::string_view w = next_word(rest);
    if (w.empty()) break;
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

std::optional<std::string_view> urgency_in(std::string_view note) {
  for (std::string_view u : {"unimportant", "low", "medium", "high"}) {
    std::size_t at = note.find(u);
    while (at != std::string_view::npos) {
      bool left = at == 0 || !std::isalnum(static_cast<unsigned char>(note[at - 1]));
      std::size_t end = at + u.size();
      bool right = end == note.size() || !std::isalnum(static_cast<unsigned char>(note[end]));
      if (left && right) return u;
      at = note.find(u, at + 1);
    }
  }
  return std::nullopt;
}

class DsaListParser {
 public:
  DsaListParser(const DsaListOptions& options, const std::function<Result<>(Advisory&&)>& sink)
      : options_(options), sink_(sink) {}

  [[nodiscard]] Result<> line(std::string_view text) {
    ++line_no_;
    ++stats_.lines;
    if (text.size() > kMaxDsaListLineBytes)
      return fail(Errc::resource_exhausted,
                  where() + "line longer than " + std::to_string(kMaxDsaListLineBytes) + " bytes");
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (trim(text).empty()) return {};
    if (text.front() == '[') return header(text);
    if (!blank(text.front()))
      return fail(Errc::data_loss, where() + "not an entry header or an indented line");
    if (!entry_)
      return fail(Errc::data_loss, where() + "indented line before the first entry header");
    entry_bytes_ += text.size() + 1;
    if (entry_bytes_ > kMaxDsaListEntryBytes)
      return fail(Errc::resource_exhausted, where() + entry_->id + ": entry longer than " +
                                                std::to_string(kMaxDsaListEntryBytes) + " bytes");
    continuation(trim(text));
    return {};
  }

  [[nodiscard]] Result<DsaListStats> finish() {
    PP_CHECK(emit());
    return std::move(stats_);
  }

 private:
  std::string where() const { return "dsa list: line " + std::to_string(line_no_) + ": "; }

  void skip(std::string reason) {
    ++stats_.skipped;
    if (stats_.skipped_examples.size() < kMaxSkipExamples)
      stats_.skipped_examples.push_back(where() + std::move(reason));
  }

  Result<> header(std::string_view text) {
    PP_CHECK(emit());
    std::size_t close = text.find(']');
    if (close == std::string_view::npos)
      return fail(Errc::data_loss, where() + "header without a closing ']' after the date");
    auto date = iso_date(text.substr(1, close - 1));
    if (!date)
      return fail(Errc::data_loss,
                  where() + "unreadable date '" + std::string(text.substr(1, close - 1)) + "'");
    std::string_view rest = text.substr(close + 1);
    std::string_view id = next_word(rest);
    if (!advisory_id(id))
      return fail(Errc::data_loss, where() + "header without a DSA/DLA/DTSA id");
    entry_.emplace();
    entry_->id = id;
    entry_->feed = std::string(kDebianDsaListFeed);
    entry_->published = std::move(*date);
    entry_->summary = collapse_blanks(rest);
    // "DSA-1727-1  - SQL injection": the package was left out, so the dash leads.
    if (entry_->summary.starts_with("- ")) entry_->summary.erase(0, 2);
    entry_bytes_ = text.size();
    return {};
  }

  void continuation(std::string_view text) {
    if (text.starts_with("NOTE:")) {
      ++stats_.notes;
      return;
    }
    if (text.front() == '{') return cves(text);
    if (text.front() == '[') return release(text);
    skip(entry_->id + ": unrecognised line");
  }

  void cves(std::string_view text) {
    std::size_t close = text.find('}');
    if (close == std::string_view::npos) return skip(entry_->id + ": CVE list without '}'");
    std::string_view list = text.substr(1, close - 1);
    for (;;) {
      std::string_view id = next_word(list);
      if (id.empty()) break;
      if (!clean_token(id)) {
        skip(entry_->id + ": unusable CVE id");
        continue;
      }
      auto& aliases = entry_->aliases;
      if (id != entry_->id && std::find(aliases.begin(), aliases.end(), id) == aliases.end())
        aliases.emplace_back(id);
    }
  }

  bool kept(std::string_view codename) const {
    if (options_.releases.empty()) return true;
    return std::find(options_.releases.begin(), options_.releases.end(), codename) !=
           options_.releases.end();
  }

  // [wheezy] - nginx 1.2.1-2.2+wheezy3 (high)
  void release(std::string_view text) {
    std::size_t close = text.find(']');
    if (close == std::string_view::npos) return skip(entry_->id + ": release without ']'");
    std::string codename(text.substr(1, close - 1));
    auto ecosystem = debian_ecosystem(codename);
    if (!ecosystem) return skip(entry_->id + ": unknown release '" + codename + "'");
    // Filtered before the rest is checked, so a slip in another release's line is not counted
    // against this one.
    if (!kept(codename)) {
      ++stats_.filtered;
      return;
    }
    std::string_view rest = text.substr(close + 1);
    if (next_word(rest) != "-") return skip(entry_->id + ": release line without ' - '");
    std::string_view package = next_word(rest);
    std::string_view state = next_word(rest);
    std::string_view note = trim(rest);
    if (!clean_token(package) || state.empty())
      return skip(entry_->id + ": release line without package and version");
    Affected a;
    a.ecosystem = std::move(*ecosystem);
    a.name = package;
    if (state.front() == '<') {
      if (state == "<not-affected>") {
        ++stats_.not_affected;
        return;
      }
      if (state == "<unfixed>")
        a.fix_status = FixStatus::unfixed;
      else if (state == "<end-of-life>")
        a.fix_status = FixStatus::end_of_life;
      else if (state == "<no-dsa>")
        a.fix_status = FixStatus::no_dsa;
      else if (state == "<postponed>")
        a.fix_status = FixStatus::postponed;
      else if (state == "<ignored>")
        a.fix_status = FixStatus::ignored;
      else
        return skip(entry_->id + ": unknown state " + std::string(state));
      a.ranges.push_back(Range{Range::Type::ecosystem, {{RangeEvent::Kind::introduced, "0"}}});
    } else {
      // A Debian version starts with a digit (an epoch or the upstream version).
      if (!clean_token(state) || !std::isdigit(static_cast<unsigned char>(state.front())))
        return skip(entry_->id + ": unusable version '" + std::string(state) + "'");
      a.fix_status = FixStatus::fixed;
      a.ranges.push_back(Range{
          Range::Type::ecosystem,
          {{RangeEvent::Kind::introduced, "0"}, {RangeEvent::Kind::fixed, std::string(state)}}});
    }
    if (note.starts_with('(')) {
      if (auto u = urgency_in(note)) {
        auto& sev = entry_->severity;
        bool seen = std::any_of(sev.begin(), sev.end(), [&](const Severity& s) {
          return s.type == "urgency" && s.score == *u;
        });
        if (!seen) sev.push_back(Severity{"urgency", std::string(*u), {}});
      }
    }
    entry_->affected.push_back(std::move(a));
  }

  Result<> emit() {
    if (!entry_) return {};
    Advisory a = std::move(*entry_);
    entry_.reset();
    stats_.affected += a.affected.size();
    ++stats_.records;
    return sink_(std::move(a));
  }

  const DsaListOptions& options_;
  const std::function<Result<>(Advisory&&)>& sink_;
  DsaListStats stats_;
  std::optional<Advisory> entry_;
  std::size_t entry_bytes_ = 0;
  std::uint64_t line_no_ = 0;
};

Result<> check_options(const DsaListOptions& options) {
  for (const auto& r : options.releases) {
    if (!debian_release_number(r))
      return fail(Errc::invalid_argument, "dsa list: unknown release '" + r + "'");
  }
  return {};
}

}  // namespace

Result<DsaListStats> parse_dsa_list(std::string_view text, const DsaListOptions& options,
                                    const std::function<Result<>(Advisory&&)>& sink) {
  PP_CHECK(check_options(options));
  DsaListParser parser(options, sink);
  std::size_t done = 0;
  while (done < text.size()) {
    std::size_t nl = text.find('\n', done);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl;
    PP_CHECK(parser.line(text.substr(done, end - done)));
    done = nl == std::string_view::npos ? text.size() : nl + 1;
    if (options.progress) options.progress(done, text.size());
  }
  return parser.finish();
}

Result<DsaListStats> parse_dsa_list(std::string_view text,
                                    const std::function<Result<>(Advisory&&)>& sink) {
  return parse_dsa_list(text, DsaListOptions{}, sink);
}

Result<DsaListStats> read_dsa_list(const std::filesystem::path& file, const DsaListOptions& options,
                                   const std::function<Result<>(Advisory&&)>& sink) {
  PP_CHECK(check_options(options));
  File f(std::fopen(file.c_str(), "rb"));
  if (!f) return tl::make_unexpected(errno_error(errno, file.string()));
  std::error_code ec;
  std::uint64_t total = std::filesystem::file_size(file, ec);
  if (ec) total = 0;
  DsaListParser parser(options, sink);
  std::string line;
  std::uint64_t done = 0;
  char buf[1 << 14];
  // Lines are cut at the buffer's edge and joined here; the parser refuses one over its limit
  // before it grows much further.
  for (;;) {
    std::size_t n = std::fread(buf, 1, sizeof buf, f.get());
    if (n == 0) {
      if (std::ferror(f.get()))
        return fail(Errc::unavailable,
                    file.string() + ": read error at byte " + std::to_string(done));
      break;
    }
    done += n;
    if (done > kMaxDsaListBytes)
      return fail(Errc::resource_exhausted, file.string() + ": over the limit of " +
                                                std::to_string(kMaxDsaListBytes) + " bytes");
    std::string_view chunk(buf, n);
    for (;;) {
      std::size_t nl = chunk.find('\n');
      if (nl == std::string_view::npos) {
        line.append(chunk);
        if (line.size() > kMaxDsaListLineBytes) {
          auto r = parser.line(line);  // reports the over-long line
          if (!r) return tl::make_unexpected(with_context(std::move(r).error(), file.string()));
        }
        break;
      }
      line.append(chunk.substr(0, nl));
      chunk.remove_prefix(nl + 1);
      auto r = parser.line(line);
      if (!r) return tl::make_unexpected(with_context(std::move(r).error(), file.string()));
      line.clear();
    }
    if (options.progress) options.progress(done, total);
  }
  if (!line.empty()) {
    auto r = parser.line(line);
    if (!r) return tl::make_unexpected(with_context(std::move(r).error(), file.string()));
  }
  return with_context(parser.finish(), file.string());
}

namespace {

Result<ReadStats> read_feed(const FetchResult& f, const config::FeedConfig& c,
                            const FeedSinks& sinks) {
  DsaListOptions o;
  o.releases = debian_codenames(c.only);
  o.progress = sinks.progress;
  PP_TRY(s, read_dsa_list(f.path, o, sinks.advisory));
  return ReadStats{s.records, s.skipped, s.skipped_examples};
}

}  // namespace

FeedKind debian_dsa_list_feed_kind() {
  return FeedKind{.name = "debian-dsa-list", .check = nullptr, .read = read_feed, .make = nullptr};
}

}  // namespace patchparty::feeds
