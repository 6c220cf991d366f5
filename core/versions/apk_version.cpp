#include "core/versions/apk_version.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "core/versions/parsed_scheme.h"

namespace patchparty::versions {
namespace {

// apk's token kinds, in the order apk ranks them when one version runs on past the other.
enum Token : int {
  kInvalid = -1,
  kDigitOrZero = 0,  // a number after '.', where leading zeros are significant
  kDigit = 1,
  kLetter = 2,
  kSuffix = 3,
  kSuffixNo = 4,
  kRevisionNo = 5,
  kEnd = 6,
};

// A token's value: a number of any length, or a small signed weight (a run of leading zeros
// counts as minus its length; letters weigh their byte; suffixes their rank around 0).
struct Value {
  bool numeric = false;
  int weight = 0;
  std::string_view digits;
};

constexpr bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
constexpr bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}

std::string_view strip_zeros(std::string_view d) {
  while (!d.empty() && d.front() == '0') d.remove_prefix(1);
  return d;
}

int compare_digits(std::string_view a, std::string_view b) {
  a = strip_zeros(a);
  b = strip_zeros(b);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  int r = a.empty() ? 0 : std::memcmp(a.data(), b.data(), a.size());
  return r < 0 ? -1 : (r > 0 ? 1 : 0);
}

int compare_number_weight(std::string_view digits, int weight) {
  if (weight < 0) return 1;
  digits = strip_zeros(digits);
  if (digits.size() > 9) return 1;
  std::int64_t n = 0;
  for (char c : digits) n = n * 10 + (c - '0');
  return n < weight ? -1 : (n > weight ? 1 : 0);
}

int compare_values(const Value& a, const Value& b) {
  if (a.numeric && b.numeric) return compare_digits(a.digits, b.digits);
  if (a.numeric) return compare_number_weight(a.digits, b.weight);
  if (b.numeric) return -compare_number_weight(b.digits, a.weight);
  return a.weight < b.weight ? -1 : (a.weight > b.weight ? 1 : 0);
}

constexpr std::array<std::string_view, 4> kPreSuffixes = {"alpha", "beta", "pre", "rc"};
constexpr std::array<std::string_view, 5> kPostSuffixes = {"cvs", "svn", "git", "hg", "p"};

// Decides the kind of the token that starts `rest`, given the kind before it, consuming the
// separator ('.', '_', "-r") that introduces it.
void next_token(int& type, std::string_view& rest) {
  int n = kInvalid;
  if (rest.empty()) {
    n = kEnd;
  } else if ((type == kDigit || type == kDigitOrZero) && is_lower(rest[0])) {
    n = kLetter;
  } else if (type == kLetter && is_digit(rest[0])) {
    n = kDigit;
  } else if (type == kSuffix && is_digit(rest[0])) {
    n = kSuffixNo;
  } else {
    switch (rest[0]) {
      case '.':
        n = kDigitOrZero;
        break;
      case '_':
        n = kSuffix;
        break;
      case '-':
        if (rest.size() > 1 && rest[1] == 'r') {
          n = kRevisionNo;
          rest.remove_prefix(1);
        }
        break;
      default:
        break;
    }
    rest.remove_prefix(1);
  }
  // Kinds only move forward, except a number after a letter or a '.', and a further suffix.
  if (n < type && !((n == kDigitOrZero && type == kDigit) || (n == kSuffix && type == kSuffixNo) ||
                    (n == kDigit && type == kLetter)))
    n = kInvalid;
  type = n;
}

// Reads the token of kind `type` at the start of `rest` and moves on to the next one.
Value get_token(int& type, std::string_view& rest) {
  Value v;
  if (rest.empty()) {
    type = kEnd;
    return v;
  }
  std::size_t i = 0;
  int next = kInvalid;
  switch (type) {
    case kDigitOrZero:
      if (rest[0] == '0') {
        while (i < rest.size() && rest[i] == '0') ++i;
        next = kDigit;
        v.weight = -static_cast<int>(i < 1000000 ? i : 1000000);
        break;
      }
      [[fallthrough]];
    case kDigit:
    case kSuffixNo:
    case kRevisionNo:
      while (i < rest.size() && is_digit(rest[i])) ++i;
      v.numeric = true;
      v.digits = rest.substr(0, i);
      break;
    case kLetter:
      v.weight = static_cast<unsigned char>(rest[0]);
      i = 1;
      break;
    case kSuffix: {
      bool found = false;
      for (std::size_t k = 0; k < kPreSuffixes.size() && !found; ++k) {
        if (rest.starts_with(kPreSuffixes[k])) {
          v.weight = static_cast<int>(k) - static_cast<int>(kPreSuffixes.size());
          i = kPreSuffixes[k].size();
          found = true;
        }
      }
      for (std::size_t k = 0; k < kPostSuffixes.size() && !found; ++k) {
        if (rest.starts_with(kPostSuffixes[k])) {
          v.weight = static_cast<int>(k);
          i = kPostSuffixes[k].size();
          found = true;
        }
      }
      if (!found) {
        type = kInvalid;
        v.weight = -1;
        return v;
      }
      break;
    }
    default:
      type = kInvalid;
      v.weight = -1;
      return v;
  }
  rest.remove_prefix(i);
  if (rest.empty())
    type = kEnd;
  else if (next != kInvalid)
    type = next;
  else
    next_token(type, rest);
  return v;
}

int apk_compare(std::string_view a, std::string_view b) {
  int at = kDigit, bt = kDigit;
  Value av, bv;
  int r = 0;
  while (at == bt && at != kEnd && at != kInvalid && r == 0) {
    av = get_token(at, a);
    bv = get_token(bt, b);
    r = compare_values(av, bv);
  }
  if (r != 0) return r;
  if (at == bt) return 0;
  // Equal so far and one goes on: the longer one is newer, unless what follows is a
  // pre-release suffix.
  if (at == kSuffix) {
    int t = at;
    Value s = get_token(t, a);
    if (s.weight < 0) return -1;
  }
  if (bt == kSuffix) {
    int t = bt;
    Value s = get_token(t, b);
    if (s.weight < 0) return 1;
  }
  if (at > bt) return -1;
  if (bt > at) return 1;
  return 0;
}

bool apk_tokenises(std::string_view v) {
  int t = kDigit;
  while (t != kEnd && t != kInvalid) get_token(t, v);
  return t == kEnd;
}

// osv.dev's Alpine grammar: digits{.digits}[letter][_?suffix[digits]]{_suffix[digits]}[(-|.)r#].
std::size_t skip_digits(std::string_view s, std::size_t i) {
  while (i < s.size() && is_digit(s[i])) ++i;
  return i;
}

bool revision_then_end(std::string_view s, std::size_t i) {
  if (i == s.size()) return true;
  if ((s[i] != '-' && s[i] != '.') || i + 2 >= s.size() || s[i + 1] != 'r') return false;
  std::size_t end = skip_digits(s, i + 2);
  return end > i + 2 && end == s.size();
}

bool suffixes_then_rest(std::string_view s, std::size_t i, bool underscore_optional) {
  if (revision_then_end(s, i)) return true;
  std::size_t at = i;
  if (at < s.size() && s[at] == '_')
    ++at;
  else if (!underscore_optional)
    return false;
  for (auto names : {std::string_view("alpha"), std::string_view("beta"), std::string_view("pre"),
                     std::string_view("rc"), std::string_view("cvs"), std::string_view("svn"),
                     std::string_view("git"), std::string_view("hg"), std::string_view("p")}) {
    if (s.substr(at).starts_with(names) &&
        suffixes_then_rest(s, skip_digits(s, at + names.size()), false))
      return true;
  }
  return false;
}

bool matches_osv_grammar(std::string_view s) {
  std::size_t i = skip_digits(s, 0);
  if (i == 0) return false;
  while (i + 1 < s.size() && s[i] == '.' && is_digit(s[i + 1])) i = skip_digits(s, i + 1);
  if (suffixes_then_rest(s, i, true)) return true;
  const bool letter =
      i < s.size() && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z'));
  return letter && suffixes_then_rest(s, i + 1, true);
}

constexpr std::size_t kMaxLength = 256;

// Leaves `out` as `v`: apk orders the strings themselves.
const char* check(std::string_view v, std::string_view& out) {
  if (v.empty()) return "empty version";
  // Bounds the grammar's backtracking; real Alpine versions are a few dozen characters.
  if (v.size() > kMaxLength) return "longer than 256 characters";
  if (!matches_osv_grammar(v)) return "not number{.number}[letter]{_suffix[number]}[-r#]";
  if (!apk_tokenises(v)) return "apk cannot tokenise it";
  out = v;
  return nullptr;
}

}  // namespace

const VersionScheme& apk_scheme() {
  static const CheckedScheme<std::string_view, check, apk_compare> scheme("apk");
  return scheme;
}

}  // namespace patchparty::versions
