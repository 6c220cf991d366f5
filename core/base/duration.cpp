#include "core/base/duration.h"

#include <cctype>
#include <cstdint>
#include <limits>

namespace patchparty::config {

namespace {

struct Unit {
  std::string_view suffix;
  std::int64_t ms;
};
// Longest suffix first so "ms" is not read as "m" followed by garbage.
constexpr Unit kUnits[] = {{"ms", 1},        {"s", 1000},       {"m", 60'000},
                           {"h", 3'600'000}, {"d", 86'400'000}, {"w", 604'800'000}};

}  // namespace

Result<Duration> parse_duration(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return fail(Errc::invalid_argument, "bad duration '" + std::string(text) + "': " +
                                            std::string(why) + " (write e.g. 30s, 10m, 1h30m, 7d)");
  };
  if (text.empty()) return bad("empty");
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return bad("expected a number");
    std::int64_t n = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      if (n > std::numeric_limits<std::int64_t>::max() / 10 / 604'800'000) return bad("too large");
      n = n * 10 + (text[i] - '0');
      ++i;
    }
    const Unit* unit = nullptr;
    for (const auto& u : kUnits) {
      if (text.substr(i, u.suffix.size()) == u.suffix) {
        unit = &u;
        break;
      }
    }
    if (unit == nullptr) return bad("missing or unknown unit (ms, s, m, h, d, w)");
    i += unit->suffix.size();
    total += n * unit->ms;
    if (total > std::numeric_limits<std::int64_t>::max() / 4) return bad("too large");
  }
  return Duration(total);
}

std::string format_duration(Duration d) {
  std::int64_t ms = d.count();
  if (ms == 0) return "0s";
  std::string out;
  for (const auto* u = std::end(kUnits); u != std::begin(kUnits);) {
    --u;
    if (u->suffix == "w") continue;  // weeks read oddly in logs; days are clearer
    if (ms >= u->ms) {
      out += std::to_string(ms / u->ms) + std::string(u->suffix);
      ms %= u->ms;
    }
  }
  return out;
}

}  // namespace patchparty::config
