// A host's answers read back: its backlog (patchparty.backlog/v1), its findings
// (patchparty.findings/v1) and its feeds (patchparty.feeds/v1). Another schema is refused with
// its name, so a host that speaks a newer or older API is listed as not included, not misread.
#pragma once

#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/fleet/fleet_backlog.h"
#include "core/fleet/fleet_status.h"

namespace patchparty::fleet {

inline constexpr std::string_view kHostBacklogSchema = "patchparty.backlog/v1";
inline constexpr std::string_view kHostFindingsSchema = "patchparty.findings/v1";
inline constexpr std::string_view kHostFeedsSchema = "patchparty.feeds/v1";

// data_loss for a body that is not JSON or lacks a required member ("tasks[3].package"),
// failed_precondition for another schema ("unknown schema 'patchparty.backlog/v2'").
[[nodiscard]] Result<HostBacklog> parse_host_backlog(std::string_view json);
// Findings carry `instance` empty; the caller knows it.
[[nodiscard]] Result<HostFindings> parse_host_findings(std::string_view json);
[[nodiscard]] Result<std::vector<FeedSuccess>> parse_host_feeds(std::string_view json);

}  // namespace patchparty::fleet
