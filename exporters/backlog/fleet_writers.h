// The fleet's documents as people and tools read them: the merged backlog (Markdown for the
// party, CSV one row per task and host, JSON patchparty.fleet-backlog/v1, a terminal table), the
// fleet's findings and its status. Deterministic like the host backlog's writers.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "core/fleet/fleet_backlog.h"
#include "core/fleet/fleet_status.h"
#include "core/report/json_output.h"
#include "exporters/backlog/backlog_writers.h"

namespace patchparty::exporters {

inline constexpr const char* kFleetBacklogJsonSchema = "patchparty.fleet-backlog/v1";
inline constexpr const char* kFleetFindingsJsonSchema = "patchparty.fleet-findings/v1";
inline constexpr const char* kFleetStatusJsonSchema = "patchparty.fleet-status/v1";

std::string fleet_backlog_markdown(const fleet::FleetBacklog& b);
std::string fleet_backlog_csv(const fleet::FleetBacklog& b);
inline constexpr const char* kFleetBacklogCsvColumns[] = {
    "rank",           "priority", "ecosystem",    "project",         "package",
    "target_version", "hosts",    "host",         "instance",        "wave",
    "installed",      "binaries", "max_severity", "max_risk",        "kev",
    "kev_ransomware", "due",      "overdue",      "vulnerabilities", "origin",
    "supplier",       "command",  "directory"};
std::string fleet_backlog_json(const fleet::FleetBacklog& b);
// The same, written to `os` as it goes rather than built whole first.
void write_fleet_backlog_json(const fleet::FleetBacklog& b, std::ostream& os);
// `f` to `os`; JSON is streamed.
void write_fleet_backlog(const fleet::FleetBacklog& b, BacklogFormat f, std::ostream& os);
std::string fleet_backlog_table(const fleet::FleetBacklog& b);
std::string render_fleet_backlog(const fleet::FleetBacklog& b, BacklogFormat f);
std::string_view fleet_backlog_file_name(BacklogFormat f);  // "fleet-backlog.md", ...

struct FleetFindings {
  std::int64_t generated_at = 0;
  std::int64_t hosts = 0;                     // hosts whose findings are listed
  std::vector<fleet::FleetFinding> findings;  // sort_fleet_findings order
  std::vector<fleet::ExcludedHost> not_included;
};
std::string render_fleet_findings(const FleetFindings& f, BacklogFormat format);

// "hosts_not_included": [{instance, url, reason}, ...], as every fleet document writes it.
void write_hosts_not_included(JsonOut& j, const std::vector<fleet::ExcludedHost>& hosts);

std::string render_fleet_status(const std::vector<fleet::HostStatus>& hosts, std::int64_t now,
                                BacklogFormat format);

}  // namespace patchparty::exporters
