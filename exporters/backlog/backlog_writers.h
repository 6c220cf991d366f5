// The backlog as people and tools read it. Every writer is deterministic: the same Backlog gives
// the same bytes (stable order, fixed decimals, UTC dates), so exports diff cleanly month to month.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "exporters/backlog/backlog.h"

namespace patchparty::exporters {

// For the party itself: summary, numbered "- [ ]" tasks, watch list, suppressed list.
std::string backlog_markdown(const Backlog& backlog);

// One row per task, RFC 4180 (CRLF, quoted when needed); columns in kBacklogCsvColumns.
std::string backlog_csv(const Backlog& backlog);
inline constexpr const char* kBacklogCsvColumns[] = {"rank",
                                                     "priority",
                                                     "host",
                                                     "project",
                                                     "ecosystem",
                                                     "package",
                                                     "binaries",
                                                     "installed",
                                                     "target_version",
                                                     "vulnerabilities",
                                                     "aliases",
                                                     "max_severity",
                                                     "max_risk",
                                                     "kev",
                                                     "kev_ransomware",
                                                     "first_seen",
                                                     "due",
                                                     "overdue",
                                                     "new_since_last_party",
                                                     "fix_status",
                                                     "notes",
                                                     "origin",
                                                     "supplier",
                                                     "command"};

// {"schema": "patchparty.backlog/v1", ...}: the stable form for tools and the fleet merge.
inline constexpr const char* kBacklogJsonSchema = "patchparty.backlog/v1";
std::string backlog_json(const Backlog& backlog);

// Aligned columns for a terminal.
std::string backlog_table(const Backlog& backlog);

// The four writers by name, for a --format option and the files written before a party.
enum class BacklogFormat { markdown, csv, json, table };
// "md"/"markdown", "csv", "json", "table"; nullopt for anything else.
std::optional<BacklogFormat> parse_backlog_format(std::string_view name);
std::string_view backlog_file_name(BacklogFormat f);  // "backlog.md", ..., "backlog.txt"
std::string render_backlog(const Backlog& backlog, BacklogFormat f);

}  // namespace patchparty::exporters
