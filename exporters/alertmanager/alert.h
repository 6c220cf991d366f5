// An alert as Alertmanager's v2 API knows it: labels identify it, annotations describe it. Any
// subsystem can raise one (vulnerabilities now, rollbacks later); the sender only sees these.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace patchparty::exporters {

struct Alert {
  // Identity: two alerts with the same labels are the same alert to Alertmanager. Names must
  // match [a-zA-Z_][a-zA-Z0-9_]*; values are sanitised by the payload writer.
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  std::int64_t starts_at = 0;           // unix seconds; 0: Alertmanager uses the receive time
  std::optional<std::int64_t> ends_at;  // unix seconds; set for a resolved alert
  std::string generator_url;            // empty: omitted

  // A stable key over the labels, for telling alerts apart across publishes.
  std::string key() const;
};

}  // namespace patchparty::exporters
