#include "core/versions/npm_range.h"

#include <map>
#include <string>

#include "core/base/pattern.h"

namespace patchparty::versions {
namespace {

constexpr std::size_t kMaxRangeLength = 1024;

// The grammar of node-semver's strict regular expressions, with the repetition bounds it uses
// once its input is whitespace-normalised (numbers up to 257 digits, identifiers up to 250).
// Those bounds only matter where a run of [a-zA-Z0-9-] is longer than 250 characters; for any
// other input the unbounded grammar matches the same text with a smaller automaton.
struct Grammar {
  std::string numeric, non_numeric, loose_numeric, build_id;
};

struct PatternTexts {
  std::string build, hyphen, comparator_trim, tilde, caret, xrange, comparator;
};

PatternTexts pattern_texts(const Grammar& g) {
  const std::string pre_id = "(?:" + g.non_numeric + "|" + g.numeric + ")";
  const std::string prerelease = "(?:-(" + pre_id + "(?:\\." + pre_id + ")*))";
  const std::string loose_pre_id = "(?:" + g.non_numeric + "|" + g.loose_numeric + ")";
  const std::string loose_prerelease = "(?:-?(" + loose_pre_id + "(?:\\." + loose_pre_id + ")*))";
  const std::string build_part = "(?:\\+(" + g.build_id + "(?:\\." + g.build_id + ")*))";
  const std::string full_plain = "v?(" + g.numeric + ")\\.(" + g.numeric + ")\\.(" + g.numeric +
                                 ")" + prerelease + "?" + build_part + "?";
  const std::string loose_plain = "[v=\\s]*(" + g.loose_numeric + ")\\.(" + g.loose_numeric +
                                  ")\\.(" + g.loose_numeric + ")" + loose_prerelease + "?" +
                                  build_part + "?";
  const std::string gtlt = "((?:<|>)?=?)";
  const std::string x_id = g.numeric + "|x|X|\\*";
  const std::string x_plain = "[v=\\s]*(" + x_id + ")(?:\\.(" + x_id + ")(?:\\.(" + x_id +
                              ")(?:" + prerelease + ")?" + build_part + "?)?)?";
  return PatternTexts{
      .build = build_part,
      .hyphen = "^\\s{0,1}(" + x_plain + ")\\s{1,1}-\\s{1,1}(" + x_plain + ")\\s{0,1}$",
      .comparator_trim = "(\\s{0,1})" + gtlt + "\\s{0,1}(" + loose_plain + "|" + x_plain + ")",
      .tilde = "^(?:~>?)" + x_plain + "$",
      .caret = "^(?:\\^)" + x_plain + "$",
      .xrange = "^" + gtlt + "\\s{0,1}" + x_plain + "$",
      .comparator = "^" + gtlt + "\\s{0,1}(" + full_plain + ")$|^$",
  };
}

struct Patterns {
  explicit Patterns(const PatternTexts& t)
      : build(t.build),
        hyphen(t.hyphen),
        comparator_trim(t.comparator_trim),
        tilde(t.tilde),
        caret(t.caret),
        xrange(t.xrange),
        comparator(t.comparator) {}
  // node strips build metadata from whole ranges with the unbounded grammar.
  Pattern build_strip{"(?:\\+([a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*))"};
  Pattern build, hyphen, comparator_trim, tilde, caret, xrange, comparator;
  Pattern tilde_trim{"(\\s{0,1})(?:~>?)\\s{1,1}"};
  Pattern caret_trim{"(\\s{0,1})(?:\\^)\\s{1,1}"};
  Pattern star{"(<|>)?=?\\s{0,1}\\*"};
  Pattern gte0{"^\\s{0,1}>=\\s{0,1}0\\.0\\.0\\s{0,1}$"};
};

const Patterns& bounded_patterns() {
  static const Patterns p(
      pattern_texts(Grammar{"0|[1-9]\\d{0,256}", "\\d{0,256}[a-zA-Z-][a-zA-Z0-9-]{0,250}",
                            "\\d{1,256}", "[a-zA-Z0-9-]{1,250}"}));
  return p;
}

const Patterns& unbounded_patterns() {
  static const Patterns p(
      pattern_texts(Grammar{"0|[1-9]\\d*", "\\d*[a-zA-Z-][a-zA-Z0-9-]*", "\\d+", "[a-zA-Z0-9-]+"}));
  return p;
}

bool needs_bounds(std::string_view s) {
  std::size_t run = 0;
  for (char c : s) {
    bool ident =
        (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
    run = ident ? run + 1 : 0;
    if (run > 250) return true;
  }
  return false;
}

std::string trim(std::string_view s) {
  return std::string(trim_js_whitespace(s));
}

// String.prototype.split(/\s+/).
std::vector<std::string> split_whitespace(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t len = 0;
    if (is_js_whitespace_at(s, i, &len)) {
      out.push_back(std::move(cur));
      cur.clear();
      while (i < s.size() && is_js_whitespace_at(s, i, &len)) i += len;
      continue;
    }
    cur.push_back(s[i++]);
  }
  out.push_back(std::move(cur));
  return out;
}

std::vector<std::string> split_on(std::string_view s, std::string_view sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t at = s.find(sep, start);
    out.emplace_back(s.substr(start, at == std::string_view::npos ? s.npos : at - start));
    if (at == std::string_view::npos) break;
    start = at + sep.size();
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

// Collapses runs of whitespace to one space, as `replace(/\s+/g, ' ')`.
std::string collapse_whitespace(std::string_view s) {
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t len = 0;
    if (is_js_whitespace_at(s, i, &len)) {
      out.push_back(' ');
      while (i < s.size() && is_js_whitespace_at(s, i, &len)) i += len;
      continue;
    }
    out.push_back(s[i++]);
  }
  return out;
}

// `+x + 1` in JavaScript, for the digit strings the grammar admits. Results above 2^53-1 come
// out different in JavaScript (rounded or in exponent form) but are rejected either way when
// the comparator is parsed, and so they are here.
std::string increment(std::string_view digits) {
  std::string s(digits);
  if (s.empty()) s = "0";
  int i = static_cast<int>(s.size()) - 1;
  while (i >= 0 && s[static_cast<std::size_t>(i)] == '9') s[static_cast<std::size_t>(i--)] = '0';
  if (i < 0)
    s.insert(s.begin(), '1');
  else
    ++s[static_cast<std::size_t>(i)];
  return s;
}

bool is_x(const PatternGroup& m) {
  if (!m.matched) return true;
  std::string s = m.str();
  return s.empty() || s == "x" || s == "X" || s == "*";
}

std::string hyphen_replace(const PatternMatch& m) {
  std::string from;
  if (is_x(m[2]))
    from = "";
  else if (is_x(m[3]))
    from = ">=" + m[2].str() + ".0.0";
  else if (is_x(m[4]))
    from = ">=" + m[2].str() + "." + m[3].str() + ".0";
  else
    from = ">=" + m[1].str();
  std::string to;
  if (is_x(m[8]))
    to = "";
  else if (is_x(m[9]))
    to = "<" + increment(m[8].str()) + ".0.0-0";
  else if (is_x(m[10]))
    to = "<" + m[8].str() + "." + increment(m[9].str()) + ".0-0";
  else if (m[11].matched && m[11].length() > 0)
    to = "<=" + m[8].str() + "." + m[9].str() + "." + m[10].str() + "-" + m[11].str();
  else
    to = "<=" + m[7].str();
  return trim(from + " " + to);
}

std::string replace_caret(const Patterns& pats, const std::string& comp) {
  PatternMatch m;
  if (!pats.caret.full_match(comp, &m)) return comp;
  std::string M = m[1].str(), mi = m[2].str(), p = m[3].str();
  bool pr = m[4].matched && m[4].length() > 0;
  std::string pre = m[4].str();
  if (is_x(m[1])) return "";
  if (is_x(m[2])) return ">=" + M + ".0.0 <" + increment(M) + ".0.0-0";
  if (is_x(m[3])) {
    if (M == "0") return ">=" + M + "." + mi + ".0 <" + M + "." + increment(mi) + ".0-0";
    return ">=" + M + "." + mi + ".0 <" + increment(M) + ".0.0-0";
  }
  std::string low = ">=" + M + "." + mi + "." + p + (pr ? "-" + pre : "");
  if (M == "0") {
    if (mi == "0") return low + " <" + M + "." + mi + "." + increment(p) + "-0";
    return low + " <" + M + "." + increment(mi) + ".0-0";
  }
  return low + " <" + increment(M) + ".0.0-0";
}

std::string replace_tilde(const Patterns& pats, const std::string& comp) {
  PatternMatch m;
  if (!pats.tilde.full_match(comp, &m)) return comp;
  std::string M = m[1].str(), mi = m[2].str(), p = m[3].str();
  bool pr = m[4].matched && m[4].length() > 0;
  if (is_x(m[1])) return "";
  if (is_x(m[2])) return ">=" + M + ".0.0 <" + increment(M) + ".0.0-0";
  if (is_x(m[3])) return ">=" + M + "." + mi + ".0 <" + M + "." + increment(mi) + ".0-0";
  return ">=" + M + "." + mi + "." + p + (pr ? "-" + m[4].str() : "") + " <" + M + "." +
         increment(mi) + ".0-0";
}

std::string replace_xrange(const Patterns& pats, const std::string& raw) {
  std::string comp = trim(raw);
  PatternMatch m;
  if (!pats.xrange.full_match(comp, &m)) return comp;
  std::string gtlt = m[1].str();
  bool xM = is_x(m[2]);
  bool p_truthy = m[4].matched && m[4].length() > 0;
  if ((xM && !is_x(m[3])) || (is_x(m[3]) && p_truthy && !is_x(m[4]))) return comp;
  bool xm = xM || is_x(m[3]);
  bool xp = xm || is_x(m[4]);
  std::string M = m[2].str(), mi = m[3].str(), p = m[4].str();
  if (gtlt == "=" && xp) gtlt = "";
  if (xM) return (gtlt == ">" || gtlt == "<") ? "<0.0.0-0" : "*";
  if (!gtlt.empty() && xp) {
    if (xm) mi = "0";
    p = "0";
    if (gtlt == ">") {
      gtlt = ">=";
      if (xm) {
        M = increment(M);
        mi = "0";
      } else {
        mi = increment(mi);
      }
      p = "0";
    } else if (gtlt == "<=") {
      gtlt = "<";
      if (xm)
        M = increment(M);
      else
        mi = increment(mi);
    }
    return gtlt + M + "." + mi + "." + p + (gtlt == "<" ? "-0" : "");
  }
  if (xm) return ">=" + M + ".0.0 <" + increment(M) + ".0.0-0";
  if (xp) return ">=" + M + "." + mi + ".0 <" + M + "." + increment(mi) + ".0-0";
  return comp;
}

std::string map_join(const Patterns& p, const std::vector<std::string>& parts,
                     std::string (*f)(const Patterns&, const std::string&)) {
  std::vector<std::string> out;
  out.reserve(parts.size());
  for (const auto& part : parts) out.push_back(f(p, part));
  return join(out, " ");
}

std::string parse_comparator_text(const Patterns& p, const std::string& input) {
  std::string comp = p.build.replace_first(input, "");
  comp = map_join(p, split_whitespace(trim(comp)), replace_caret);
  comp = map_join(p, split_whitespace(trim(comp)), replace_tilde);
  comp = map_join(p, split_whitespace(comp), replace_xrange);
  return p.star.replace_first(trim(comp), "");
}

std::string format_version(const Semver& v) {
  std::string s = v.major + "." + v.minor + "." + v.patch;
  if (!v.prerelease.empty()) s += "-" + join(v.prerelease, ".");
  return s;
}

Error invalid_range(std::string_view range, std::string_view why) {
  return Error{Errc::invalid_argument,
               "npm: invalid range \"" + std::string(range) + "\": " + std::string(why)};
}

struct ParsedComparator {
  NpmComparator comparator;
  std::string value;  // node-semver's canonical text, used to drop duplicates
};

Result<ParsedComparator> make_comparator(const Patterns& p, std::string_view range,
                                         const std::string& text) {
  std::string comp = join(split_whitespace(trim(text)), " ");
  PatternMatch m;
  if (!p.comparator.full_match(comp, &m))
    return tl::make_unexpected(invalid_range(range, "bad comparator \"" + comp + "\""));
  ParsedComparator out;
  out.comparator.op = m[1].matched ? m[1].str() : "";
  if (out.comparator.op == "=") out.comparator.op = "";
  if (!m[2].matched || m[2].length() == 0) {
    out.comparator.any = true;
    return out;
  }
  auto v = parse_semver(m[2].str(), SemverDialect::node);
  if (!v) return tl::make_unexpected(invalid_range(range, v.error().message));
  out.comparator.version = std::move(*v);
  out.value = out.comparator.op + format_version(out.comparator.version);
  return out;
}

Result<std::vector<NpmComparator>> parse_set(const Patterns& p, std::string_view whole,
                                             const std::string& input) {
  std::string range = p.build_strip.replace_all(input, "");
  PatternMatch hm;
  if (p.hyphen.full_match(range, &hm)) range = hyphen_replace(hm);
  range = p.comparator_trim.replace_all(range, "\\1\\2\\3");
  range = p.tilde_trim.replace_all(range, "\\1~");
  range = p.caret_trim.replace_all(range, "\\1^");

  std::vector<std::string> parsed;
  for (const auto& part : split_on(range, " ")) parsed.push_back(parse_comparator_text(p, part));
  std::vector<ParsedComparator> comparators;
  for (auto& text : split_whitespace(join(parsed, " "))) {
    std::string comp = p.gte0.replace_first(trim(text), "");
    PP_TRY(c, make_comparator(p, whole, comp));
    comparators.push_back(std::move(c));
  }
  for (auto& c : comparators)
    if (c.value == "<0.0.0-0") return std::vector<NpmComparator>{std::move(c.comparator)};
  // Keyed by canonical text, kept in first-seen order, as a JavaScript Map.
  std::vector<ParsedComparator> unique;
  for (auto& c : comparators) {
    bool seen = false;
    for (auto& u : unique)
      if (u.value == c.value) {
        u = std::move(c);
        seen = true;
        break;
      }
    if (!seen) unique.push_back(std::move(c));
  }
  std::vector<NpmComparator> out;
  for (auto& u : unique)
    if (!(unique.size() > 1 && u.value.empty())) out.push_back(std::move(u.comparator));
  return out;
}

bool comparator_test(const NpmComparator& c, const Semver& v) {
  if (c.any) return true;
  int r = compare_semver(v, c.version, SemverDialect::node);
  if (c.op.empty()) return r == 0;
  if (c.op == "<") return r < 0;
  if (c.op == "<=") return r <= 0;
  if (c.op == ">") return r > 0;
  return r >= 0;
}

bool is_null_set(const NpmComparator& c) {
  return !c.any && c.op == "<" && c.version.major == "0" && c.version.minor == "0" &&
         c.version.patch == "0" && c.version.prerelease.size() == 1 &&
         c.version.prerelease[0] == "0";
}

bool is_any(const NpmComparator& c) {
  return c.any;
}

bool test_set(const std::vector<NpmComparator>& set, const Semver& v) {
  for (const auto& c : set)
    if (!comparator_test(c, v)) return false;
  if (v.prerelease.empty()) return true;
  for (const auto& c : set) {
    if (c.any || c.version.prerelease.empty()) continue;
    if (c.version.major == v.major && c.version.minor == v.minor && c.version.patch == v.patch)
      return true;
  }
  return false;
}

}  // namespace

bool NpmRange::test(const Semver& version) const {
  for (const auto& set : sets)
    if (test_set(set, version)) return true;
  return false;
}

Result<NpmRange> parse_npm_range(std::string_view range) {
  if (range.size() > kMaxRangeLength)
    return tl::make_unexpected(invalid_range(range.substr(0, 64), "longer than 1024 bytes"));
  const Patterns& p = needs_bounds(range) ? bounded_patterns() : unbounded_patterns();
  std::string raw = collapse_whitespace(trim_js_whitespace(range));
  NpmRange out;
  for (const auto& part : split_on(raw, "||")) {
    PP_TRY(set, parse_set(p, range, trim(part)));
    if (!set.empty()) out.sets.push_back(std::move(set));
  }
  if (out.sets.empty()) return tl::make_unexpected(invalid_range(range, "no comparator set"));
  if (out.sets.size() > 1) {
    // An impossible set adds nothing, and a bare "*" set stands for the whole range (which,
    // for prereleases, is narrower than the union: npm does the same).
    std::vector<std::vector<NpmComparator>> kept;
    for (auto& s : out.sets)
      if (!is_null_set(s[0])) kept.push_back(s);
    if (kept.empty()) {
      kept.push_back(out.sets[0]);
    } else if (kept.size() > 1) {
      for (auto& s : kept)
        if (s.size() == 1 && is_any(s[0])) {
          kept = {s};
          break;
        }
    }
    out.sets = std::move(kept);
  }
  return out;
}

Result<bool> npm_satisfies(std::string_view version, std::string_view range) {
  PP_TRY(v, parse_semver(version, SemverDialect::node));
  PP_TRY(r, parse_npm_range(range));
  return r.test(v);
}

}  // namespace patchparty::versions
