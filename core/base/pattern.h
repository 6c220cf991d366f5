// Regular expressions for text from outside (feeds, lockfiles, HTTP bodies, configuration), in
// RE2: matching takes time linear in the input whatever the pattern and the input, where a
// backtracking engine (std::regex, PCRE) can take exponential time on a crafted string. Patterns
// are byte-wise (Latin-1), as PCRE without /u reads them, so any bytes may be matched.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"

namespace re2 {
class RE2;
}

namespace patchparty {

// One capturing group of a match: `matched` tells "did not take part" from "matched nothing".
struct PatternGroup {
  std::string_view text;
  bool matched = false;
  std::size_t length() const { return text.size(); }
  std::string str() const { return std::string(text); }
};

class PatternMatch {
 public:
  // Group 0 is the whole match. A group past the pattern's count did not take part.
  const PatternGroup& operator[](std::size_t i) const {
    static const PatternGroup kNone;
    return i < groups_.size() ? groups_[i] : kNone;
  }
  std::size_t size() const { return groups_.size(); }

 private:
  friend class Pattern;
  std::vector<PatternGroup> groups_;
};

enum class PatternCase { sensitive, insensitive };

class Pattern {
 public:
  // A pattern is a constant of the code: one RE2 cannot compile aborts, naming it.
  explicit Pattern(std::string_view pattern, PatternCase c = PatternCase::sensitive);
  // A pattern from configuration, in RE2's syntax (Prometheus' too): invalid_argument with RE2's
  // reason when it does not compile.
  [[nodiscard]] static Result<Pattern> compile(std::string_view pattern,
                                               PatternCase c = PatternCase::sensitive);
  ~Pattern();
  Pattern(Pattern&&) noexcept;
  Pattern& operator=(Pattern&&) noexcept;

  // `text` as a whole: "^...$" in PCRE's sense, where "$" may also stand before one final "\n"
  // (the match then leaves that newline out).
  bool full_match(std::string_view text, PatternMatch* m = nullptr) const;
  // The leftmost match anywhere in `text`; the pattern's own "^" and "$" anchor it. "$" may stand
  // before one final "\n", as in PCRE.
  bool search(std::string_view text, PatternMatch* m = nullptr) const;
  // `text` with its leftmost match (or every non-overlapping match) replaced by `rewrite`, where
  // \1 ... \9 stand for groups (empty when a group took no part) and \\ for a backslash.
  std::string replace_first(std::string_view text, std::string_view rewrite) const;
  std::string replace_all(std::string_view text, std::string_view rewrite) const;

 private:
  explicit Pattern(std::unique_ptr<re2::RE2> re);
  bool run(std::string_view text, bool anchored, PatternMatch* m) const;
  std::unique_ptr<re2::RE2> re_;
};

}  // namespace patchparty
