#include "exporters/http/findings_filter.h"

namespace patchparty::http {

Result<FindingsFilter> parse_findings_filter(const Request& request) {
  FindingsFilter f;
  for (const auto& [name, value] : request.query) {
    if (name == "severity") {
      std::string_view rest = value;
      while (!rest.empty()) {
        const auto comma = rest.find(',');
        const std::string_view one = rest.substr(0, comma);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        auto s = parse_severity_name(one);
        if (!s)
          return fail(Errc::invalid_argument,
                      "severity: '" + std::string(one) +
                          "' is not one of critical, high, medium, low, unknown");
        f.severities.insert(*s);
      }
    } else if (name == "kev") {
      PP_TRY(kev, parse_bool_param(name, value));
      f.kev = kev;
    } else if (name == "project") {
      f.project = value;
    } else if (name == "include_suppressed") {
      PP_TRY(include, parse_bool_param(name, value));
      f.include_suppressed = include;
    } else {
      // A misspelt filter would silently widen the answer.
      return fail(
          Errc::invalid_argument,
          "unknown parameter '" + name + "' (filters: severity, kev, project, include_suppressed)");
    }
  }
  return f;
}

bool matches(const FindingsFilter& filter, const Finding& finding) {
  if (!filter.include_suppressed && finding.suppressed()) return false;
  if (!filter.severities.empty() && !filter.severities.count(finding.severity)) return false;
  if (filter.kev && finding.kev != *filter.kev) return false;
  if (filter.project && finding.project != *filter.project) return false;
  return true;
}

}  // namespace patchparty::http
