#include "collectors/health/builtin_checks.h"

#include <regex>

#include "collectors/health/backup_check.h"
#include "collectors/health/command_check.h"
#include "collectors/health/http_check.h"
#include "collectors/health/prometheus_query_check.h"
#include "collectors/health/systemd_unit_check.h"

namespace patchparty::health {

Result<std::unique_ptr<HealthCheck>> make_check(const config::HealthCheckConfig& c) {
  try {
    if (c.kind == "http") return std::make_unique<HttpCheck>(c);
    if (c.kind == "systemd_unit") return std::make_unique<SystemdUnitCheck>(c);
    if (c.kind == "prometheus_query") return std::make_unique<PrometheusQueryCheck>(c);
    if (c.kind == "command") return std::make_unique<CommandCheck>(c);
    if (c.kind == "backup") return std::make_unique<BackupCheck>(c);
  } catch (const std::regex_error& e) {
    return fail(Errc::invalid_argument, "check " + c.name + ": body_regex: " + e.what());
  }
  return fail(Errc::invalid_argument, "check " + c.name + ": unknown kind '" + c.kind + "'");
}

}  // namespace patchparty::health
