#include "core/suppress/timestamp.h"

namespace patchparty::suppress {

std::optional<std::int64_t> parse_expiry(std::string_view s) {
  if (s.size() == 10) {
    auto days = date_days(s);
    if (!days) return std::nullopt;
    return (*days + 1) * 86400;
  }
  return parse_rfc3339(s);
}

}  // namespace patchparty::suppress
