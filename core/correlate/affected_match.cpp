#include "core/correlate/affected_match.h"

#include <optional>
#include <vector>

#include "core/versions/comparator_range.h"
#include "core/versions/composer_version.h"
#include "core/versions/osv_range.h"
#include "core/versions/semver_version.h"
#include "core/versions/version_scheme.h"

namespace patchparty::correlate {

namespace {

std::string_view base_of(std::string_view ecosystem) {
  return ecosystem.substr(0, ecosystem.find(':'));
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Upper bounds "<X" of one native alternative: Composer joins with ',' (or spaces), npm with
// spaces. "<=X" is a last affected version, not a fix.
std::vector<std::string> exclusive_upper_bounds(std::string_view expr) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < expr.size()) {
    std::size_t lt = expr.find('<', i);
    if (lt == std::string_view::npos) break;
    std::size_t j = lt + 1;
    if (j < expr.size() && expr[j] == '=') {
      i = j + 1;
      continue;
    }
    while (j < expr.size() && expr[j] == ' ') ++j;
    std::size_t end = j;
    while (end < expr.size() && expr[end] != ',' && expr[end] != ' ' && expr[end] != '|') ++end;
    if (end > j) out.emplace_back(expr.substr(j, end - j));
    i = end;
  }
  return out;
}

template <typename T, typename Parse>
const Result<T>& memo(std::unordered_map<std::string, Result<T>>& cache, std::string_view key,
                      Parse parse) {
  auto it = cache.find(std::string(key));
  if (it == cache.end()) it = cache.emplace(std::string(key), parse(key)).first;
  return it->second;
}

// Keeps the lowest candidate that is newer than the installed version.
Result<> consider_fix(const versions::VersionScheme& scheme, std::string_view installed,
                      std::string_view candidate, std::optional<std::string>& best) {
  if (candidate.empty() || candidate == "0") return {};
  PP_TRY(vs_installed, scheme.compare(candidate, installed));
  if (vs_installed <= 0) return {};
  if (best) {
    PP_TRY(vs_best, scheme.compare(candidate, *best));
    if (vs_best >= 0) return {};
  }
  best = std::string(candidate);
  return {};
}

}  // namespace

Result<bool> AffectedEvaluator::native_satisfied(std::string_view base, std::string_view version,
                                                 std::string_view range) {
  if (base == "npm") {
    const auto& r = memo(npm_ranges_, range, versions::parse_npm_range);
    if (!r) return tl::make_unexpected(r.error());
    PP_TRY(v, versions::parse_semver(version, versions::SemverDialect::node));
    return r->test(v);
  }
  if (base == "Packagist") {
    const auto& c = memo(composer_constraints_, range, versions::parse_composer_constraint);
    if (!c) return tl::make_unexpected(c.error());
    const auto& v = memo(composer_versions_, version, versions::composer_normalize);
    if (!v) return tl::make_unexpected(v.error());
    return c->test(*v);
  }
  PP_TRY(scheme, versions::scheme_for_ecosystem(base));
  return versions::comparator_range_satisfied(*scheme, version, range);
}

Result<AffectedVerdict> evaluate_affected(const Affected& affected, std::string_view ecosystem,
                                          std::string_view version) {
  AffectedEvaluator e;
  return e.evaluate(affected, ecosystem, version);
}

Result<AffectedVerdict> AffectedEvaluator::evaluate(const Affected& affected,
                                                    std::string_view ecosystem,
                                                    std::string_view version) {
  PP_TRY(scheme, versions::scheme_for_ecosystem(ecosystem));
  const std::string_view base = base_of(ecosystem);
  AffectedVerdict verdict;
  // Every bound that may close a range, from every range: feeds split one fix history into
  // adjacent ranges (FriendsOfPHP ">=5.3.0,<5.4.0" then ">=5.4.0,<5.4.20"), so the bound of the
  // range the installed version is in can itself be affected.
  std::vector<std::string> candidates;
  auto affected_at = [&](std::string_view v) -> Result<bool> {
    if (affected.native_ranges.empty()) return versions::is_affected(*scheme, v, affected);
    for (const auto& range : affected.native_ranges) {
      PP_TRY(hit, native_satisfied(base, v, trim(range)));
      if (hit) return true;
    }
    return false;
  };
  PP_TRY(hit, affected_at(version));
  verdict.affected = hit;
  if (!hit) return verdict;
  if (!affected.native_ranges.empty()) {
    for (const auto& range : affected.native_ranges)
      for (auto& bound : exclusive_upper_bounds(range)) candidates.push_back(std::move(bound));
  } else {
    for (const auto& range : affected.ranges) {
      if (range.type == Range::Type::git) continue;
      for (const auto& event : range.events)
        if (event.kind == RangeEvent::Kind::fixed) candidates.push_back(event.version);
    }
  }
  // The lowest candidate above the installed version that no range covers.
  std::optional<std::string> fix;
  for (const auto& c : candidates) {
    std::optional<std::string> lower = fix;
    PP_CHECK(consider_fix(*scheme, version, c, lower));
    if (lower == fix) continue;  // not above the installed version, or not lower than the best
    PP_TRY(still, affected_at(c));
    if (!still) fix = std::move(lower);
  }
  if (fix) verdict.fixed_version = std::move(*fix);
  return verdict;
}

}  // namespace patchparty::correlate
