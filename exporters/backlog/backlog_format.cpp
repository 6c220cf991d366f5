#include "exporters/backlog/backlog_writers.h"

namespace patchparty::exporters {

std::optional<BacklogFormat> parse_backlog_format(std::string_view name) {
  if (name == "md" || name == "markdown") return BacklogFormat::markdown;
  if (name == "csv") return BacklogFormat::csv;
  if (name == "json") return BacklogFormat::json;
  if (name == "table") return BacklogFormat::table;
  return std::nullopt;
}

std::string_view backlog_file_name(BacklogFormat f) {
  switch (f) {
    case BacklogFormat::markdown:
      return "backlog.md";
    case BacklogFormat::csv:
      return "backlog.csv";
    case BacklogFormat::json:
      return "backlog.json";
    case BacklogFormat::table:
      return "backlog.txt";
  }
  return "backlog.txt";
}

std::string render_backlog(const Backlog& backlog, BacklogFormat f) {
  switch (f) {
    case BacklogFormat::markdown:
      return backlog_markdown(backlog);
    case BacklogFormat::csv:
      return backlog_csv(backlog);
    case BacklogFormat::json:
      return backlog_json(backlog);
    case BacklogFormat::table:
      return backlog_table(backlog);
  }
  return backlog_table(backlog);
}

}  // namespace patchparty::exporters
