#include "core/record/cvss.h"

#include <cmath>
#include <map>
#include <string>

namespace patchparty::feeds {

namespace {

// "AV:N/AC:L/..." into metric -> value; each metric at most once.
Result<std::map<std::string, std::string, std::less<>>> split_metrics(std::string_view body,
                                                                      std::string_view whole) {
  std::map<std::string, std::string, std::less<>> m;
  std::size_t pos = 0;
  while (pos <= body.size()) {
    std::size_t slash = body.find('/', pos);
    std::string_view part =
        body.substr(pos, slash == std::string_view::npos ? body.npos : slash - pos);
    auto colon = part.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == part.size())
      return fail(Errc::invalid_argument,
                  "cvss '" + std::string(whole) + "': bad metric '" + std::string(part) + "'");
    std::string key(part.substr(0, colon));
    if (!m.emplace(key, std::string(part.substr(colon + 1))).second)
      return fail(Errc::invalid_argument,
                  "cvss '" + std::string(whole) + "': metric " + key + " given twice");
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  return m;
}

template <class Map>
Result<double> weight(const Map& m, std::string_view metric,
                      std::initializer_list<std::pair<std::string_view, double>> table,
                      std::string_view whole) {
  auto it = m.find(metric);
  if (it == m.end())
    return fail(Errc::invalid_argument,
                "cvss '" + std::string(whole) + "': missing base metric " + std::string(metric));
  for (const auto& [value, w] : table) {
    if (it->second == value) return w;
  }
  return fail(Errc::invalid_argument, "cvss '" + std::string(whole) + "': bad value " +
                                          std::string(metric) + ":" + it->second);
}

// CVSS 3.1's Roundup works on integers to avoid floating-point artefacts (spec appendix A).
double roundup_31(double x) {
  auto i = static_cast<long long>(std::llround(x * 100000));
  if (i % 10000 == 0) return static_cast<double>(i) / 100000.0;
  return (std::floor(static_cast<double>(i) / 10000.0) + 1) / 10.0;
}

double roundup_30(double x) {
  return std::ceil(x * 10) / 10;
}

Result<double> score_v3(std::string_view body, bool v31, std::string_view whole) {
  PP_TRY(m, split_metrics(body, whole));
  auto scope = m.find("S");
  if (scope == m.end() || (scope->second != "U" && scope->second != "C"))
    return fail(Errc::invalid_argument, "cvss '" + std::string(whole) + "': bad or missing S");
  bool changed = scope->second == "C";
  PP_TRY(av, weight(m, "AV", {{"N", 0.85}, {"A", 0.62}, {"L", 0.55}, {"P", 0.2}}, whole));
  PP_TRY(ac, weight(m, "AC", {{"L", 0.77}, {"H", 0.44}}, whole));
  PP_TRY(pr,
         weight(m, "PR", {{"N", 0.85}, {"L", changed ? 0.68 : 0.62}, {"H", changed ? 0.5 : 0.27}},
                whole));
  PP_TRY(ui, weight(m, "UI", {{"N", 0.85}, {"R", 0.62}}, whole));
  PP_TRY(c, weight(m, "C", {{"H", 0.56}, {"L", 0.22}, {"N", 0}}, whole));
  PP_TRY(i, weight(m, "I", {{"H", 0.56}, {"L", 0.22}, {"N", 0}}, whole));
  PP_TRY(a, weight(m, "A", {{"H", 0.56}, {"L", 0.22}, {"N", 0}}, whole));
  double iss = 1 - (1 - c) * (1 - i) * (1 - a);
  double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  double exploitability = 8.22 * av * ac * pr * ui;
  if (impact <= 0) return 0.0;
  double raw = changed ? std::min(1.08 * (impact + exploitability), 10.0)
                       : std::min(impact + exploitability, 10.0);
  return v31 ? roundup_31(raw) : roundup_30(raw);
}

Result<double> score_v2(std::string_view body, std::string_view whole) {
  PP_TRY(m, split_metrics(body, whole));
  PP_TRY(av, weight(m, "AV", {{"L", 0.395}, {"A", 0.646}, {"N", 1.0}}, whole));
  PP_TRY(ac, weight(m, "AC", {{"H", 0.35}, {"M", 0.61}, {"L", 0.71}}, whole));
  PP_TRY(au, weight(m, "Au", {{"M", 0.45}, {"S", 0.56}, {"N", 0.704}}, whole));
  PP_TRY(c, weight(m, "C", {{"N", 0}, {"P", 0.275}, {"C", 0.660}}, whole));
  PP_TRY(i, weight(m, "I", {{"N", 0}, {"P", 0.275}, {"C", 0.660}}, whole));
  PP_TRY(a, weight(m, "A", {{"N", 0}, {"P", 0.275}, {"C", 0.660}}, whole));
  double impact = 10.41 * (1 - (1 - c) * (1 - i) * (1 - a));
  double exploitability = 20 * av * ac * au;
  double f = impact == 0 ? 0 : 1.176;
  double base = ((0.6 * impact) + (0.4 * exploitability) - 1.5) * f;
  return std::round(base * 10) / 10;
}

}  // namespace

Result<double> cvss_base_score(std::string_view vector) {
  std::string_view v = vector;
  if (v.starts_with("(") && v.ends_with(")")) v = v.substr(1, v.size() - 2);
  if (v.starts_with("CVSS:3.1/")) return score_v3(v.substr(9), true, vector);
  if (v.starts_with("CVSS:3.0/")) return score_v3(v.substr(9), false, vector);
  if (v.starts_with("CVSS:4.0/"))
    return fail(Errc::not_found, "cvss '" + std::string(vector) + "': v4.0 is not scored");
  if (v.starts_with("CVSS:2.0/")) v = v.substr(9);
  if (v.starts_with("AV:")) return score_v2(v, vector);
  return fail(Errc::invalid_argument, "cvss '" + std::string(vector) + "': unknown vector format");
}

std::string_view cvss_severity(double score) {
  if (score >= 9.0) return "critical";
  if (score >= 7.0) return "high";
  if (score >= 4.0) return "medium";
  if (score > 0.0) return "low";
  return "none";
}

}  // namespace patchparty::feeds
