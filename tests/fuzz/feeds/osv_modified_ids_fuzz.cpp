// libFuzzer entry for read_modified_since, the reader of OSV's modified_id.csv: any bytes, with a
// cursor and a limit taken from the input's first bytes; and for the cursor's own spelling, read
// from the same bytes and written back.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "collectors/feeds/osv_modified_ids.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::int64_t cursor = std::int64_t{data[0]} * 86400 * 365;
  const std::size_t limit = data[1];
  const std::string_view csv(reinterpret_cast<const char*>(data + 2), size - 2);
  // A cursor that reads must write back the same and read again to itself.
  if (auto c = patchparty::feeds::parse_index_cursor(csv.substr(0, csv.find('\n')))) {
    const std::string text = patchparty::feeds::format_index_cursor(*c);
    auto again = patchparty::feeds::parse_index_cursor(text);
    if (!again || again->time != c->time) std::abort();
    if (c->ids.size() <= patchparty::feeds::kMaxCursorIds && again->ids != c->ids) std::abort();
  }
  auto r = patchparty::feeds::read_modified_since(csv, cursor, limit, "fuzz.csv");
  if (!r) {
    if (r.error().code != patchparty::Errc::data_loss) std::abort();
    return 0;
  }
  if (r->changed.size() > limit) std::abort();
  std::int64_t previous = r->newest;
  for (const auto& m : r->changed) {
    // Newest first, nothing older than the cursor, ids that are safe as a path segment.
    if (m.modified > previous || m.modified < cursor || m.id.empty() ||
        m.id.find('/') != std::string_view::npos || m.id.find("..") != std::string_view::npos)
      std::abort();
    previous = m.modified;
  }
  // What a cursor at that second skips is held; what it fetches is not.
  const patchparty::feeds::IndexCursor held{cursor, {"A-1"}};
  const auto changes = patchparty::feeds::changes_after(*r, held);
  for (const auto& m : changes.to_fetch)
    if (m.modified == cursor && m.id == "A-1") std::abort();
  if (changes.next.time < cursor) std::abort();
  return 0;
}
