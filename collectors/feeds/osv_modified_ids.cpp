#include "collectors/feeds/osv_modified_ids.h"

#include <algorithm>
#include <unordered_set>

#include "core/base/rfc3339_time.h"

namespace patchparty::feeds {

namespace {

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > 128 || id.find("..") != std::string_view::npos) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':';
  });
}

}  // namespace

Result<ModifiedSince> read_modified_since(std::string_view csv, std::int64_t cursor,
                                          std::size_t max_changed, std::string_view label) {
  ModifiedSince out;
  std::unordered_set<std::string_view> seen;
  std::int64_t previous = 0;
  std::size_t line_number = 0;
  bool any = false;
  auto bad = [&](const std::string& why) {
    return fail(Errc::data_loss,
                std::string(label) + ": line " + std::to_string(line_number) + ": " + why);
  };
  while (!csv.empty()) {
    const std::size_t end = csv.find('\n');
    std::string_view line = csv.substr(0, end);
    csv = end == std::string_view::npos ? std::string_view() : csv.substr(end + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      if (csv.empty()) break;  // the file's last line end
      return bad("an empty line");
    }
    const std::size_t comma = line.find(',');
    if (comma == std::string_view::npos) return bad("no comma between time and id");
    const auto modified = parse_rfc3339(line.substr(0, comma));
    if (!modified)
      return bad("'" + std::string(line.substr(0, std::min(comma, std::size_t{40}))) +
                 "' is not an RFC 3339 time");
    const std::string_view id = line.substr(comma + 1);
    if (!valid_id(id)) return bad("'" + std::string(id.substr(0, 80)) + "' is not an OSV id");
    if (any && *modified > previous) return bad("newer than the row before: not newest first");
    if (!any) out.newest = *modified;
    any = true;
    previous = *modified;
    if (*modified < cursor) {
      out.reached_cursor = true;
      break;
    }
    if (!seen.insert(id).second) continue;
    if (out.changed.size() == max_changed) {
      out.over_limit = true;
      break;
    }
    out.changed.push_back(ModifiedId{*modified, std::string(id)});
  }
  if (!any) return fail(Errc::data_loss, std::string(label) + ": empty");
  return out;
}

std::optional<IndexCursor> parse_index_cursor(std::string_view text) {
  IndexCursor out;
  const std::size_t space = text.find(' ');
  const auto time = parse_rfc3339(text.substr(0, space));
  if (!time) return std::nullopt;
  out.time = *time;
  std::string_view rest = space == std::string_view::npos ? "" : text.substr(space + 1);
  while (!rest.empty()) {
    const std::size_t next = rest.find(' ');
    const std::string_view id = rest.substr(0, next);
    if (!valid_id(id)) return std::nullopt;
    out.ids.emplace_back(id);
    rest = next == std::string_view::npos ? "" : rest.substr(next + 1);
  }
  return out;
}

std::string format_index_cursor(const IndexCursor& cursor) {
  std::string out = format_rfc3339(cursor.time);
  if (cursor.ids.size() > kMaxCursorIds) return out;
  for (const auto& id : cursor.ids) out += " " + id;
  return out;
}

IndexChanges changes_after(const ModifiedSince& since, const IndexCursor& cursor) {
  IndexChanges out;
  auto held = [&](const ModifiedId& row) {
    return row.modified == cursor.time &&
           std::find(cursor.ids.begin(), cursor.ids.end(), row.id) != cursor.ids.end();
  };
  for (const auto& row : since.changed) {
    if (!held(row)) out.to_fetch.push_back(row);
  }
  out.next.time = std::max(since.newest, cursor.time);
  if (out.next.time == cursor.time) out.next.ids = cursor.ids;
  for (const auto& row : since.changed) {
    if (row.modified == out.next.time &&
        std::find(out.next.ids.begin(), out.next.ids.end(), row.id) == out.next.ids.end())
      out.next.ids.push_back(row.id);
  }
  return out;
}

}  // namespace patchparty::feeds
