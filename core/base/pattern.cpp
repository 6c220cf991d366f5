#include "core/base/pattern.h"

#include <re2/re2.h>

#include <cstdio>
#include <cstdlib>

namespace patchparty {

namespace {

std::unique_ptr<RE2> make_re2(std::string_view pattern, PatternCase c) {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingLatin1);
  options.set_case_sensitive(c == PatternCase::sensitive);
  options.set_log_errors(false);
  return std::make_unique<RE2>(re2::StringPiece(pattern.data(), pattern.size()), options);
}

}  // namespace

Pattern::Pattern(std::unique_ptr<RE2> re) : re_(std::move(re)) {}

Result<Pattern> Pattern::compile(std::string_view pattern, PatternCase c) {
  auto re = make_re2(pattern, c);
  if (!re->ok()) return fail(Errc::invalid_argument, re->error());
  return Pattern(std::move(re));
}

Pattern::Pattern(std::string_view pattern, PatternCase c) : re_(make_re2(pattern, c)) {
  if (!re_->ok()) {
    std::fprintf(stderr, "pattern '%.*s': %s\n", static_cast<int>(pattern.size()), pattern.data(),
                 re_->error().c_str());
    std::abort();
  }
}

Pattern::~Pattern() = default;
Pattern::Pattern(Pattern&&) noexcept = default;
Pattern& Pattern::operator=(Pattern&&) noexcept = default;

bool Pattern::run(std::string_view text, bool anchored, PatternMatch* m) const {
  const int n = m ? re_->NumberOfCapturingGroups() + 1 : 0;
  std::vector<re2::StringPiece> groups(static_cast<std::size_t>(n));
  const re2::StringPiece subject(text.data(), text.size());
  if (!re_->Match(subject, 0, subject.size(), anchored ? RE2::ANCHOR_BOTH : RE2::UNANCHORED,
                  groups.data(), n))
    return false;
  if (m) {
    m->groups_.assign(static_cast<std::size_t>(n), PatternGroup{});
    for (int i = 0; i < n; ++i) {
      const auto& g = groups[static_cast<std::size_t>(i)];
      if (g.data() == nullptr) continue;  // RE2's mark of a group that took no part
      m->groups_[static_cast<std::size_t>(i)] =
          PatternGroup{std::string_view(g.data(), g.size()), true};
    }
  }
  return true;
}

bool Pattern::full_match(std::string_view text, PatternMatch* m) const {
  if (run(text, true, m)) return true;
  return !text.empty() && text.back() == '\n' && run(text.substr(0, text.size() - 1), true, m);
}

bool Pattern::search(std::string_view text, PatternMatch* m) const {
  if (run(text, false, m)) return true;
  return !text.empty() && text.back() == '\n' && run(text.substr(0, text.size() - 1), false, m);
}

std::string Pattern::replace_first(std::string_view text, std::string_view rewrite) const {
  std::string out(text);
  RE2::Replace(&out, *re_, re2::StringPiece(rewrite.data(), rewrite.size()));
  return out;
}

std::string Pattern::replace_all(std::string_view text, std::string_view rewrite) const {
  std::string out(text);
  RE2::GlobalReplace(&out, *re_, re2::StringPiece(rewrite.data(), rewrite.size()));
  return out;
}

}  // namespace patchparty
