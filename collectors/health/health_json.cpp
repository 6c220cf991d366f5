#include "collectors/health/health_json.h"

#include "core/report/json_output.h"

namespace patchparty::health {

std::string health_json(const HealthMonitor* monitor) {
  exporters::JsonOut j;
  j.start_object();
  j.field("schema", "patchparty.health/v1");
  j.key("checks");
  j.start_array();
  if (monitor) {
    for (const auto& name : monitor->checks()) {
      j.start_object();
      j.field("name", name);
      j.field("kind", monitor->kind_of(name));
      j.field_int("probes", static_cast<std::int64_t>(monitor->probe_count(name)));
      if (auto p = monitor->last(name)) {
        j.field("healthy", p->healthy);
        j.field_int(
            "at",
            std::chrono::duration_cast<std::chrono::seconds>(p->at.time_since_epoch()).count());
        j.field_number("latency_seconds", std::chrono::duration<double>(p->latency).count());
        j.field_number("value", p->value);
        j.field("detail", p->detail);
      } else {
        j.key("healthy");
        j.null();
      }
      j.end_object();
    }
  }
  j.end_array();
  j.end_object();
  return j.finish();
}

}  // namespace patchparty::health
