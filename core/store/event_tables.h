// Patch events and the cursors of followed logs (schema v4). Same thread rule as Store: the
// writer's connection belongs to the worker thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/events/log_cursor.h"
#include "core/events/patch_event.h"
#include "core/store/sqlite_db.h"

namespace patchparty::store {

// Validates and stores `event`; returns it with its id. invalid_argument, nothing stored, when
// validate_event() refuses it.
[[nodiscard]] Result<events::PatchEvent> record_event(Database& db, events::PatchEvent event,
                                                      std::int64_t now);

// In one transaction: every event (validated first; one invalid event stores none) and, when
// given, the log cursor they were read up to, so a restart never records a line twice nor
// skips one. Returns the events with their ids.
[[nodiscard]] Result<std::vector<events::PatchEvent>> record_events(
    Database& db, std::vector<events::PatchEvent> batch, std::int64_t now,
    const std::optional<events::LogCursor>& cursor = std::nullopt);

struct EventQuery {
  std::int64_t since = 0;    // events with at >= since
  std::int64_t limit = 100;  // newest first; 0 for all
};
[[nodiscard]] Result<std::vector<events::PatchEvent>> list_events(Database& db,
                                                                  const EventQuery& q = {});
// not_found for an unknown id.
[[nodiscard]] Result<events::PatchEvent> event_by_id(Database& db, std::int64_t id);

// Whether dpkg.log already gave this change: an event of origin dpkg_log for `target`/`arch`
// that ended at `to_version` (empty: removed) at or after `since`. The inventory diff of dpkg
// skips such changes, so one upgrade is one event (docs/patch-watch-and-rollback.md "Patch
// events").
[[nodiscard]] Result<bool> seen_in_dpkg_log(Database& db, std::string_view target,
                                            std::string_view arch, std::string_view to_version,
                                            std::int64_t since);

// The health watch's judgement of event `id` (docs/patch-watch-and-rollback.md "Patch watch"): its
// verdict and what the rollback did. not_found for an unknown id; text is bounded like the event's
// note.
[[nodiscard]] Result<> set_event_outcome(Database& db, std::int64_t id, std::string_view verdict,
                                         std::string_view rollback);

// nullopt before the first read of `path`.
[[nodiscard]] Result<std::optional<events::LogCursor>> load_log_cursor(Database& db,
                                                                       std::string_view path);
[[nodiscard]] Result<> save_log_cursor(Database& db, const events::LogCursor& cursor,
                                       std::int64_t now);

}  // namespace patchparty::store
