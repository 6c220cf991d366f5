// Risk of one finding, 0..100: Grype's composite risk (threat x impact x KEV modifier), discounted
// by where the package runs and whether an upgrade exists. docs/risk-and-backlog.md "Risk" gives
// the formula.
//
// Grype's number is the worst case: an internet-facing, high-criticality host with a fix
// available scores exactly what `grype` prints for the same facts. Context only ever discounts,
// so it never saturates at 100 and context keeps ordering findings that Grype already caps.
#pragma once

#include <optional>
#include <string_view>

#include "core/model/finding.h"
#include "core/risk/risk_context.h"

namespace patchparty::risk {

// How reachable the software is (config `exposure`). Ordered: a larger value is more exposed.
enum class Exposure { isolated, internal, internet };
// What its failure costs (config `criticality`). Ordered: a larger value is more critical.
enum class Criticality { low, medium, high };

std::optional<Exposure> parse_exposure(std::string_view name);
std::optional<Criticality> parse_criticality(std::string_view name);

// Used for a finding whose CVE has no EPSS score (not yet scored, or not a CVE at all, such as a
// MAL-* malicious-package advisory). Grype uses 0, which would rank every unscored finding below
// every scored one whatever its severity; 0.01 is of the order of the median EPSS probability
// (under 0.01 in FIRST's recent scores), so an unscored finding ranks with a typical CVE and its
// severity still orders it.
inline constexpr double kUnknownEpss = 0.01;

struct Inputs {
  std::optional<double> cvss;  // highest base score, 0..10; absent: impact from the label alone
  SeverityLevel severity = SeverityLevel::unknown;
  std::optional<double> epss;  // probability 0..1
  bool kev = false;
  bool kev_ransomware = false;  // implies kev: CISA records ransomware use only for KEV entries
  Exposure exposure = Exposure::internal;
  Criticality criticality = Criticality::medium;
  bool fix_available = true;
};

struct Factors {
  // Likelihood of exploitation, 0..1: 1 when CISA lists the CVE as exploited, else its EPSS
  // probability, else kUnknownEpss.
  double threat = 0;
  // Damage if exploited, 0..1: the mean of the severity label's score and the CVSS base score,
  // both over 10; the label alone without CVSS. Label scores are Grype's: low 3, medium 5,
  // high 7.5, critical 9, unknown 5 (treated as medium, as the SLA config does).
  double impact = 0;
  // Grype's KEV modifier: 1.1 with known ransomware use, 1.05 for other KEV entries, else 1.
  double kev_modifier = 1;
  // Grype's composite: min(threat x impact x kev_modifier, 1) x 100.
  double grype = 0;
  // Context discounts, each 0..1 with 1 for the worst case.
  double exposure = 1;     // internet 1, internal 0.75, isolated 0.5
  double criticality = 1;  // high 1, medium 0.8, low 0.6
  double fix = 1;          // fix available 1, no fix 0.9
  // grype x exposure x criticality x fix, 0..100.
  double score = 0;
};

Factors compute(const Inputs& in);

// The finding's facts in the context it runs in. Context values the config would refuse count as
// the worst case (internet, high), so a bad value can never hide a risk.
Inputs inputs_for(const Finding& finding, const Context& effective);

}  // namespace patchparty::risk
