#include "daemon/correlate/affected_match.h"

#include <optional>
#include <vector>

#include "daemon/versions/comparator_range.h"
#include "daemon/versions/composer_constraint.h"
#include "daemon/versions/npm_range.h"
#include "daemon/versions/osv_range.h"
#include "daemon/versions/version_scheme.h"

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

Result<bool> native_satisfied(std::string_view base, const versions::VersionScheme& scheme,
                              std::string_view version, std::string_view range) {
  if (base == "npm") return versions::npm_satisfies(version, range);
  if (base == "Packagist") return versions::composer_satisfies(version, range);
  return versions::comparator_range_satisfied(scheme, version, range);
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

Result<AffectedVerdict> evaluate_affected(const Affected& affected, std::string_view ecosystem,
                                          std::string_view version) {
  PP_TRY(scheme, versions::scheme_for_ecosystem(ecosystem));
  const std::string_view base = base_of(ecosystem);
  AffectedVerdict verdict;
  std::optional<std::string> fix;
  if (!affected.native_ranges.empty()) {
    for (const auto& range : affected.native_ranges) {
      PP_TRY(hit, native_satisfied(base, *scheme, version, trim(range)));
      if (!hit) continue;
      verdict.affected = true;
      for (const auto& bound : exclusive_upper_bounds(range))
        PP_CHECK(consider_fix(*scheme, version, bound, fix));
    }
  } else {
    PP_TRY(hit, versions::is_affected(*scheme, version, affected));
    verdict.affected = hit;
    if (hit) {
      for (const auto& range : affected.ranges) {
        if (range.type == Range::Type::git) continue;
        for (const auto& event : range.events) {
          if (event.kind == RangeEvent::Kind::fixed)
            PP_CHECK(consider_fix(*scheme, version, event.version, fix));
        }
      }
    }
  }
  if (verdict.affected && fix) verdict.fixed_version = std::move(*fix);
  return verdict;
}

}  // namespace patchparty::correlate
