#include "daemon/patch_watch/watches_json.h"

#include "core/report/json_output.h"

namespace patchparty::patch_watch {

std::string watches_json(const std::vector<WatchView>& watches) {
  exporters::JsonOut j;
  j.start_object();
  j.field("schema", "patchparty.watches/v1");
  j.key("watches");
  j.start_array();
  for (const auto& w : watches) {
    j.start_object();
    j.field_int("event", w.event_id);
    j.field("target", w.target);
    j.field("state", w.state);
    j.field("verdict", w.reason);
    j.end_object();
  }
  j.end_array();
  j.end_object();
  return j.finish();
}

}  // namespace patchparty::patch_watch
