// The hook for what reacts to patch events (the health watch). The worker thread calls each
// listener once per event, right after the event is stored (it has its id), in the order the
// events were stored: dpkg.log lines, inventory diffs, deploys from the API and the CLI alike.
// A listener runs on the worker thread, between jobs, so it may read the store but must not
// block: open a watch and return.
#pragma once

#include <functional>

#include "core/events/patch_event.h"

namespace patchparty::events {

using EventListener = std::function<void(const PatchEvent&)>;

}  // namespace patchparty::events
