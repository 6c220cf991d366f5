#include "collectors/health/builtin_checks.h"

#include <mutex>

#include "collectors/health/backup_check.h"
#include "collectors/health/check_kind.h"
#include "collectors/health/command_check.h"
#include "collectors/health/http_check.h"
#include "collectors/health/prometheus_query_check.h"
#include "collectors/health/systemd_unit_check.h"

namespace patchparty::health {

void register_builtin_checks() {
  static std::once_flag once;
  std::call_once(once, [] {
    add_check_kind(http_check_kind());
    add_check_kind(systemd_unit_check_kind());
    add_check_kind(prometheus_query_check_kind());
    add_check_kind(command_check_kind());
    add_check_kind(backup_check_kind());
  });
}

Result<std::unique_ptr<HealthCheck>> make_check(const config::HealthCheckConfig& c) {
  const CheckFactory* make = find_check_factory(c.kind);
  if (!make)
    return fail(Errc::invalid_argument, "check " + c.name + ": unknown kind '" + c.kind + "'");
  return (*make)(c);
}

}  // namespace patchparty::health
