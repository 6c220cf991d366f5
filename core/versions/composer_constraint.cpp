#include "core/versions/composer_constraint.h"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <string>

#include "core/base/pattern.h"
#include "core/versions/composer_version.h"

namespace patchparty::versions {
namespace {

constexpr std::size_t kMaxConstraintLength = 1024;

const std::string kModifier =
    "[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\\d+)*)?)?([.-]?dev)?";
const std::string kVersion = "v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:\\.(\\d+))?(?:" + kModifier +
                             "|\\.([xX*][.-]?dev))(?:\\+[^\\s]+)?";

struct Patterns {
  Pattern alias{"^([^,\\s]+) +as +([^,\\s]+)$"};
  Pattern flag{"^([^,\\s]*?)@(stable|RC|beta|alpha|dev)$", PatternCase::insensitive};
  Pattern ref{"^(dev-[^,\\s@]+?|[^,\\s@]+?\\.x-dev)#[^\\n]+$", PatternCase::insensitive};
  Pattern star{"^(v)?[xX*](\\.[xX*])*$", PatternCase::insensitive};
  Pattern tilde{"^~>?" + kVersion + "$", PatternCase::insensitive};
  Pattern caret{"^\\^" + kVersion + "($)", PatternCase::insensitive};
  Pattern xrange{"^v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:\\.[xX*])+$"};
  Pattern hyphen{"^(" + kVersion + ") +- +(" + kVersion + ")($)", PatternCase::insensitive};
  Pattern basic{"^(<>|!=|>=?|<=?|==?)?\\s*([^\\n]*)"};
  Pattern dev_name{"^[0-9a-zA-Z\\-./]+$"};
  Pattern has_modifier{"-" + kModifier + "$"};
};

const Patterns& patterns() {
  static const Patterns p;
  return p;
}

bool pcre_space(char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

bool filled(const PatternGroup& m) {
  return m.matched && m.length() > 0;
}

// PHP's empty(): "" and "0" are empty.
bool php_empty(const PatternGroup& m) {
  return !m.matched || m.length() == 0 || m.str() == "0";
}

// `$x += 1` on a numeric string: an int while it fits in 64 bits, else a float printed with
// PHP's default precision of 14 digits ("1.0E+20"), which then takes part in comparisons.
std::string php_add_one(const std::string& digits) {
  std::uint64_t v = 0;
  bool fits = !digits.empty();
  for (char c : digits) {
    if (v > (static_cast<std::uint64_t>(INT64_MAX) - static_cast<std::uint64_t>(c - '0')) / 10) {
      fits = false;
      break;
    }
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (fits && v < static_cast<std::uint64_t>(INT64_MAX)) return std::to_string(v + 1);
  double d = std::strtod(digits.c_str(), nullptr) + 1.0;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.13e", d);
  std::string s(buf);
  std::size_t e = s.find('e');
  std::string mantissa = s.substr(0, e);
  while (mantissa.back() == '0') mantissa.pop_back();
  if (mantissa.back() == '.') mantissa += '0';
  int exponent = std::atoi(s.c_str() + e + 1);
  return mantissa + "E" + (exponent < 0 ? "-" : "+") +
         std::to_string(exponent < 0 ? -exponent : exponent);
}

// VersionParser::manipulateVersionString for increments of 0 or 1.
std::string manipulate(std::string parts[5], int position, bool increment) {
  for (int i = 4; i > 0; --i) {
    if (i > position)
      parts[i] = "0";
    else if (i == position && increment)
      parts[i] = php_add_one(parts[i]);
  }
  return parts[1] + "." + parts[2] + "." + parts[3] + "." + parts[4];
}

ComposerAtom atom(std::string op, std::string version) {
  return ComposerAtom{false, std::move(op), std::move(version)};
}

Error unparsable(std::string_view constraint, std::string_view why) {
  return Error{Errc::invalid_argument, "composer: could not parse version constraint \"" +
                                           std::string(constraint) + "\": " + std::string(why)};
}

Result<std::string> normalize_in(std::string_view constraint, const std::string& version) {
  auto r = composer_normalize(version);
  if (!r) return tl::make_unexpected(unparsable(constraint, r.error().message));
  return r;
}

Result<std::vector<ComposerAtom>> parse_single(const std::string& input) {
  const Patterns& p = patterns();
  std::string c = input;
  PatternMatch m;
  if (p.alias.full_match(c, &m)) c = m[1].str();
  std::string stability_modifier;
  if (p.flag.full_match(c, &m)) {
    std::string word = m[2].str();
    c = m[1].length() ? m[1].str() : "*";
    if (word != "stable") stability_modifier = word;
  }
  if (p.ref.full_match(c, &m)) c = m[1].str();
  if (p.star.full_match(c, &m)) {
    if (filled(m[1]) || filled(m[2])) return std::vector{atom(">=", "0.0.0.0-dev")};
    return std::vector{ComposerAtom{true, "", ""}};
  }

  if (p.tilde.full_match(c, &m)) {
    if (c.rfind("~>", 0) == 0)
      return tl::make_unexpected(unparsable(input, "invalid operator \"~>\", use \"~\""));
    int position = filled(m[4]) ? 4 : filled(m[3]) ? 3 : filled(m[2]) ? 2 : 1;
    if (filled(m[8])) ++position;
    std::string suffix = (!filled(m[5]) && !filled(m[7]) && !filled(m[8])) ? "-dev" : "";
    std::string parts[5] = {"", m[1].str(), m[2].str(), m[3].str(), m[4].str()};
    PP_TRY(low, normalize_in(input, (c + suffix).substr(1)));
    std::string high = manipulate(parts, std::max(1, position - 1), true) + "-dev";
    return std::vector{atom(">=", low), atom("<", high)};
  }

  if (p.caret.full_match(c, &m)) {
    int position;
    if (m[1].str() != "0" || !filled(m[2]))
      position = 1;
    else if (m[2].str() != "0" || !filled(m[3]))
      position = 2;
    else
      position = 3;
    std::string suffix = (!filled(m[5]) && !filled(m[7]) && !filled(m[8])) ? "-dev" : "";
    std::string parts[5] = {"", m[1].str(), m[2].str(), m[3].str(), m[4].str()};
    PP_TRY(low, normalize_in(input, (c + suffix).substr(1)));
    std::string high = manipulate(parts, position, true) + "-dev";
    return std::vector{atom(">=", low), atom("<", high)};
  }

  if (p.xrange.full_match(c, &m)) {
    int position = filled(m[3]) ? 3 : filled(m[2]) ? 2 : 1;
    std::string parts[5] = {"", m[1].str(), m[2].str(), m[3].str(), ""};
    std::string parts_high[5] = {"", m[1].str(), m[2].str(), m[3].str(), ""};
    std::string low = manipulate(parts, position, false) + "-dev";
    std::string high = manipulate(parts_high, position, true) + "-dev";
    if (low == "0.0.0.0-dev") return std::vector{atom("<", high)};
    return std::vector{atom(">=", low), atom("<", high)};
  }

  if (p.hyphen.full_match(c, &m)) {
    auto empty0 = [](const PatternGroup& x) { return x.str() == "0" ? false : !filled(x); };
    std::string low_suffix = (php_empty(m[6]) && php_empty(m[8]) && php_empty(m[9])) ? "-dev" : "";
    PP_TRY(low, normalize_in(input, m[1].str()));
    std::vector<ComposerAtom> out{atom(">=", low + low_suffix)};
    if ((!empty0(m[12]) && !empty0(m[13])) || !php_empty(m[15]) || !php_empty(m[17]) ||
        !php_empty(m[18])) {
      PP_TRY(high, normalize_in(input, m[10].str()));
      out.push_back(atom("<=", high));
    } else {
      PP_TRY(checked, normalize_in(input, m[10].str()));
      (void)checked;
      std::string parts[5] = {"", m[11].str(), m[12].str(), m[13].str(), m[14].str()};
      out.push_back(atom("<", manipulate(parts, empty0(m[12]) ? 1 : 2, true) + "-dev"));
    }
    return out;
  }

  p.basic.search(c, &m);
  std::string op = m[1].length() ? m[1].str() : "=";
  std::string text = m[2].str();
  auto normalized = composer_normalize(text);
  if (!normalized && text.size() >= 4 && text.compare(text.size() - 4, 4, "-dev") == 0) {
    PatternMatch dm;
    // "foobar-dev" is read as the branch dev-foobar.
    if (p.dev_name.full_match(text, &dm))
      normalized = composer_normalize("dev-" + text.substr(0, text.size() - 4));
  }
  if (!normalized) return tl::make_unexpected(unparsable(input, normalized.error().message));
  std::string version = *normalized;
  if (op != "==" && op != "=" && !stability_modifier.empty() &&
      composer_stability(version) == "stable") {
    version += "-" + stability_modifier;
  } else if (op == "<" || op == ">=") {
    std::string low = text;
    for (char& ch : low) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    PatternMatch mm;
    if (!p.has_modifier.search(low, &mm) && text.rfind("dev-", 0) != 0) version += "-dev";
  }
  if (op == "=") op = "==";
  if (op == "<>") op = "!=";
  return std::vector{atom(op, version)};
}

// preg_split('{\s*\|\|?\s*}', ...).
std::vector<std::string> split_or(const std::string& s) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (true) {
    std::size_t bar = s.find('|', pos);
    if (bar == std::string::npos) break;
    std::size_t start = bar;
    while (start > pos && pcre_space(s[start - 1])) --start;
    std::size_t end = bar + 1;
    if (end < s.size() && s[end] == '|') ++end;
    while (end < s.size() && pcre_space(s[end])) ++end;
    out.push_back(s.substr(pos, start - pos));
    pos = end;
  }
  out.push_back(s.substr(pos));
  return out;
}

// preg_split('{(?<!^|as|[=>< ,]) *(?<!-)[, ](?!-) *(?!,|as|$)}', ...): a space or comma
// separates AND-ed constraints, except around operators, "as" aliases and hyphen ranges.
std::vector<std::string> split_and(const std::string& s) {
  const std::size_t n = s.size();
  auto at_end = [&](std::size_t e) { return e == n || (e + 1 == n && s[e] == '\n'); };
  auto match_at = [&](std::size_t i, std::size_t* end) {
    if (i == 0) return false;
    if (i >= 2 && s.compare(i - 2, 2, "as") == 0) return false;
    char before = s[i - 1];
    if (before == '=' || before == '>' || before == '<' || before == ' ' || before == ',')
      return false;
    std::size_t spaces = 0;
    while (i + spaces < n && s[i + spaces] == ' ') ++spaces;
    for (std::size_t k = spaces + 1; k-- > 0;) {
      std::size_t j = i + k;
      if (s[j - 1] == '-') continue;
      if (j >= n || (s[j] != ',' && s[j] != ' ')) continue;
      if (j + 1 < n && s[j + 1] == '-') continue;
      std::size_t more = 0;
      while (j + 1 + more < n && s[j + 1 + more] == ' ') ++more;
      for (std::size_t l = more + 1; l-- > 0;) {
        std::size_t e = j + 1 + l;
        if (e < n && s[e] == ',') continue;
        if (e + 2 <= n && s.compare(e, 2, "as") == 0) continue;
        if (at_end(e)) continue;
        *end = e;
        return true;
      }
    }
    return false;
  };
  std::vector<std::string> out;
  std::size_t pos = 0;
  for (std::size_t i = pos; i < n; ++i) {
    std::size_t end = 0;
    if (match_at(i, &end)) {
      out.push_back(s.substr(pos, i - pos));
      pos = end;
      i = end - 1;
    }
  }
  out.push_back(s.substr(pos));
  return out;
}

std::string atom_text(const ComposerAtom& a) {
  return a.match_all ? "*" : a.op + " " + a.version;
}

// MultiConstraint::optimizeConstraints: [>= a, < b] | [>= b, < c] becomes [>= a, < c].
void merge_adjacent(std::vector<std::vector<ComposerAtom>>& groups) {
  if (groups.size() < 2) return;
  std::vector<std::vector<ComposerAtom>> merged;
  std::vector<ComposerAtom> left = groups[0];
  bool optimized = false;
  for (std::size_t i = 1; i < groups.size(); ++i) {
    const auto& right = groups[i];
    bool joinable = left.size() == 2 && right.size() == 2 &&
                    atom_text(left[0]).rfind(">=", 0) == 0 && atom_text(left[1])[0] == '<' &&
                    atom_text(right[0]).rfind(">=", 0) == 0 && atom_text(right[1])[0] == '<' &&
                    atom_text(left[1]).substr(2) == atom_text(right[0]).substr(3);
    if (joinable) {
      optimized = true;
      left = {left[0], right[1]};
    } else {
      merged.push_back(std::move(left));
      left = right;
    }
  }
  if (optimized) {
    merged.push_back(std::move(left));
    groups = std::move(merged);
  }
}

bool is_branch(const std::string& v) {
  return v.rfind("dev-", 0) == 0;
}

bool atom_test(const ComposerAtom& a, const std::string& v) {
  if (a.match_all) return true;
  bool branch = is_branch(v) || is_branch(a.version);
  if (a.op == "!=") return branch ? v != a.version : php_version_compare(v, a.version) != 0;
  if (a.op == "==") {
    if (is_branch(v) && is_branch(a.version)) return v == a.version;
    return !branch && php_version_compare(v, a.version) == 0;
  }
  if (branch) return false;
  int c = php_version_compare(v, a.version);
  if (a.op == "<") return c < 0;
  if (a.op == "<=") return c <= 0;
  if (a.op == ">") return c > 0;
  return c >= 0;
}

}  // namespace

bool ComposerConstraint::test(const std::string& normalized) const {
  for (const auto& group : any_of) {
    bool all = true;
    for (const auto& a : group)
      if (!atom_test(a, normalized)) {
        all = false;
        break;
      }
    if (all) return true;
  }
  return false;
}

Result<ComposerConstraint> parse_composer_constraint(std::string_view constraint) {
  if (constraint.size() > kMaxConstraintLength)
    return fail(Errc::invalid_argument, "composer: constraint longer than 1024 bytes");
  ComposerConstraint out;
  for (const auto& any : split_or(php_trim(constraint))) {
    std::vector<ComposerAtom> group;
    for (const auto& part : split_and(any)) {
      PP_TRY(atoms, parse_single(part));
      group.insert(group.end(), atoms.begin(), atoms.end());
    }
    out.any_of.push_back(std::move(group));
  }
  merge_adjacent(out.any_of);
  return out;
}

Result<bool> composer_satisfies(std::string_view version, std::string_view constraint) {
  PP_TRY(v, composer_normalize(version));
  PP_TRY(c, parse_composer_constraint(constraint));
  return c.test(v);
}

Result<bool> composer_all_of(std::string_view version, std::span<const std::string> constraints) {
  // An empty list would be read as "every version" or as "none"; neither may happen silently.
  if (constraints.empty()) return fail(Errc::invalid_argument, "composer: empty constraint list");
  PP_TRY(v, composer_normalize(version));
  bool all = true;
  for (const auto& text : constraints) {
    PP_TRY(c, parse_composer_constraint(text));
    all = all && c.test(v);
  }
  return all;
}

}  // namespace patchparty::versions
