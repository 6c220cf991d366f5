// GET /api/v1/watches: the watches open right now (docs/patch-watch-and-rollback.md "Patch watch
// and rollback").
#pragma once

#include <string>
#include <vector>

#include "daemon/patch_watch/watch_engine.h"

namespace patchparty::patch_watch {

// {"schema": "patchparty.watches/v1", "watches": [{"event", "target", "state", "verdict"}]}
std::string watches_json(const std::vector<WatchView>& watches);

}  // namespace patchparty::patch_watch
