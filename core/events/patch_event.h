// A patch event: something on this host changed version (a package, or an application deployed
// by a deploy tool). The watch engine opens a health watch for each one it receives.
//
// Every event is validated before it is stored (validate_event): its text is bounded and free of
// control characters, and a deploy target is restricted to [A-Za-z0-9._@:-] because the
// rollback engine may pass it as an argv value or a systemd unit instance name.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"

namespace patchparty::events {

// Where the event was learned.
enum class Origin { inventory, dpkg_log, api, cli };
// What happened. `deploy` is an application deploy reported by a deploy tool; the others are
// package changes (downgrade: the new version is older by the ecosystem's own ordering).
enum class Kind { upgrade, downgrade, install, remove, deploy };

std::string_view origin_name(Origin o);
std::string_view kind_name(Kind k);
std::optional<Origin> parse_origin(std::string_view name);
std::optional<Kind> parse_kind(std::string_view name);

inline constexpr std::size_t kMaxTargetBytes = 256;
inline constexpr std::size_t kMaxDeployTargetBytes = 128;
inline constexpr std::size_t kMaxVersionBytes = 256;
inline constexpr std::size_t kMaxNoteBytes = 1024;
inline constexpr std::size_t kMaxShortBytes = 128;  // arch, ecosystem, project

struct PatchEvent {
  std::int64_t id = 0;  // the store's; 0 until recorded
  std::int64_t at = 0;  // unix seconds when it happened (dpkg.log's time, the request's)
  Origin origin = Origin::inventory;
  Kind kind = Kind::upgrade;
  std::string target;        // package name, or the deploy target
  std::string arch;          // dpkg/rpm architecture; empty for deploys and app packages
  std::string ecosystem;     // OSV ecosystem ("Debian:12", "npm"); empty for deploys
  std::string project;       // the configured project of a lockfile package; empty for the host
  std::string from_version;  // empty for install (and a first deploy)
  std::string to_version;    // empty for remove
  std::string note;          // free-form: deploy tool, commit
  // Filled in later by the health watch; empty until it has judged the event.
  std::string verdict;
  std::string rollback;

  friend bool operator==(const PatchEvent&, const PatchEvent&) = default;
};

// invalid_argument naming the field and the rule it breaks.
[[nodiscard]] Result<> validate_event(const PatchEvent& e);
// The deploy-target rule alone: 1..128 bytes of [A-Za-z0-9._@:-], not starting with '-' (it
// would read as an option) and not only dots (it would read as a directory).
[[nodiscard]] Result<> validate_deploy_target(std::string_view target);

// The event as one JSON object (docs/patch-watch-and-rollback.md "Patch events"); verdict and
// rollback are null while empty.
std::string event_to_json(const PatchEvent& e);
// {"schema": "patchparty.events/v1", "events": [...]}
std::string events_to_json(const std::vector<PatchEvent>& events);

// The body of POST /api/v1/deploys: {"target", "version", "previous_version"?, "note"?,
// "origin"?: "api"|"cli"}. Unknown members are refused, so a typo is not silently dropped.
// Returns a validated deploy event at `now`, or invalid_argument saying what is wrong.
[[nodiscard]] Result<PatchEvent> deploy_event_from_json(std::string_view body, std::int64_t now);
// The request body for a deploy, as `patchparty deploy` sends it.
std::string deploy_request_json(std::string_view target, std::string_view version,
                                std::string_view previous_version, std::string_view note,
                                Origin origin);

}  // namespace patchparty::events
