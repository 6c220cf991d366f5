#include "exporters/alertmanager/alert_rules.h"

#include "exporters/alertmanager/alert_payload.h"

namespace patchparty::exporters {

std::optional<std::string_view> page_reason(const Finding& f,
                                            const config::AlertRulesConfig& rules) {
  if (f.suppressed() || f.resolved_at) return std::nullopt;
  if (rules.kev && f.kev) return "kev";
  if (rules.critical_with_fix && f.severity == SeverityLevel::critical && f.fix_available())
    return "critical-with-fix";
  if (rules.min_risk > 0 && f.risk >= rules.min_risk) return "risk";
  return std::nullopt;
}

std::vector<Alert> vulnerability_alerts(std::span<const Finding> findings,
                                        const config::AlertRulesConfig& rules) {
  std::vector<Alert> out;
  for (const auto& f : findings) {
    if (auto reason = page_reason(f, rules)) out.push_back(vulnerability_alert(f, *reason));
  }
  return out;
}

}  // namespace patchparty::exporters
