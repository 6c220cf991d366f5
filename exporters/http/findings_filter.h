// The filters of GET /api/v1/findings, from the query string. Defaults: every open finding of
// every severity and project, suppressed ones left out (as the backlog's task list leaves them).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/model/finding.h"
#include "exporters/http/http_message.h"

namespace patchparty::http {

struct FindingsFilter {
  std::set<SeverityLevel> severities;  // ?severity=critical,high; empty: all
  std::optional<bool> kev;             // ?kev=true|false; none: both
  std::optional<std::string> project;  // ?project=shop; ?project= (empty): host packages only
  bool include_suppressed = false;     // ?include_suppressed=true
};

// invalid_argument naming the parameter for an unknown parameter or a bad value.
[[nodiscard]] Result<FindingsFilter> parse_findings_filter(const Request& request);

bool matches(const FindingsFilter& filter, const Finding& finding);

}  // namespace patchparty::http
