#include "core/risk/risk_score.h"

#include <algorithm>
#include <cmath>

namespace patchparty::risk {

namespace {

// NaN would compare false everywhere and slip through a clamp, so it counts as absent.
std::optional<double> clamped(std::optional<double> v, double lo, double hi) {
  if (!v || std::isnan(*v)) return std::nullopt;
  return std::clamp(*v, lo, hi);
}

// Grype's label scores, on the CVSS scale. Unknown is medium, as in Grype and in our SLAs,
// because a missing label says nothing about the damage.
double label_score(SeverityLevel s) {
  switch (s) {
    case SeverityLevel::low:
      return 3.0;
    case SeverityLevel::medium:
      return 5.0;
    case SeverityLevel::high:
      return 7.5;
    case SeverityLevel::critical:
      return 9.0;
    case SeverityLevel::unknown:
      break;
  }
  return 5.0;
}

// Reachability weighs more than criticality: an isolated host can only be hit locally, whatever
// its role, so one exposure step discounts more than one criticality step.
double exposure_factor(Exposure e) {
  switch (e) {
    case Exposure::internet:
      return 1.0;
    case Exposure::internal:
      return 0.75;
    case Exposure::isolated:
      return 0.5;
  }
  return 1.0;
}

double criticality_factor(Criticality c) {
  switch (c) {
    case Criticality::high:
      return 1.0;
    case Criticality::medium:
      return 0.8;
    case Criticality::low:
      return 0.6;
  }
  return 1.0;
}

// The backlog is a list of upgrades; a finding with no fixed version yields no upgrade to do, so
// among otherwise equal findings the actionable one comes first. The discount is small on
// purpose: an unfixed known-exploited finding still needs mitigating and must stay near the top.
constexpr double kNoFixFactor = 0.9;

}  // namespace

std::optional<Exposure> parse_exposure(std::string_view name) {
  if (name == "internet") return Exposure::internet;
  if (name == "internal") return Exposure::internal;
  if (name == "isolated") return Exposure::isolated;
  return std::nullopt;
}

std::optional<Criticality> parse_criticality(std::string_view name) {
  if (name == "high") return Criticality::high;
  if (name == "medium") return Criticality::medium;
  if (name == "low") return Criticality::low;
  return std::nullopt;
}

Factors compute(const Inputs& in) {
  Factors f;
  const bool kev = in.kev || in.kev_ransomware;
  if (kev) {
    f.threat = 1.0;
  } else if (auto epss = clamped(in.epss, 0.0, 1.0)) {
    f.threat = *epss;
  } else {
    f.threat = kUnknownEpss;
  }

  const double label = label_score(in.severity) / 10.0;
  // Grype skips a base score of exactly 0 as "none given"; ours is optional, so a present 0
  // ("None" in CVSS) is a real score and the impact stays monotonic in it.
  if (auto cvss = clamped(in.cvss, 0.0, 10.0)) {
    f.impact = (label + *cvss / 10.0) / 2.0;
  } else {
    f.impact = label;
  }

  f.kev_modifier = in.kev_ransomware ? 1.1 : kev ? 1.05 : 1.0;
  f.grype = std::min(f.threat * f.impact * f.kev_modifier, 1.0) * 100.0;

  f.exposure = exposure_factor(in.exposure);
  f.criticality = criticality_factor(in.criticality);
  f.fix = in.fix_available ? 1.0 : kNoFixFactor;
  f.score = std::clamp(f.grype * f.exposure * f.criticality * f.fix, 0.0, 100.0);
  return f;
}

Inputs inputs_for(const Finding& finding, const Context& effective) {
  Inputs in;
  in.cvss = finding.cvss;
  in.severity = finding.severity;
  in.epss = finding.epss;
  in.kev = finding.kev;
  in.kev_ransomware = finding.kev_ransomware;
  in.exposure = parse_exposure(effective.exposure).value_or(Exposure::internet);
  in.criticality = parse_criticality(effective.criticality).value_or(Criticality::high);
  in.fix_available = finding.fix_available();
  return in;
}

}  // namespace patchparty::risk
