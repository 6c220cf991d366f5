// Which findings page someone: the few that should not wait for the monthly party.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "config/config.h"
#include "core/model/finding.h"
#include "exporters/alertmanager/alert.h"

namespace patchparty::exporters {

// The first rule that matches, in this order: "kev", "critical-with-fix", "risk"; nullopt when
// none does. Suppressed and resolved findings never page, whatever the rules say.
std::optional<std::string_view> page_reason(const Finding& finding,
                                            const config::AlertRulesConfig& rules);

// The firing alerts for a scan's ranked findings, in the findings' order.
std::vector<Alert> vulnerability_alerts(std::span<const Finding> findings,
                                        const config::AlertRulesConfig& rules);

}  // namespace patchparty::exporters
