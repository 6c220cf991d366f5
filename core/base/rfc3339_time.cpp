#include "core/base/rfc3339_time.h"

#include <chrono>
#include <cstdio>

namespace patchparty {

namespace {

// Exactly `width` ASCII digits at `pos`; from_chars would also take a sign.
std::optional<int> digits(std::string_view s, std::size_t pos, std::size_t width) {
  if (pos + width > s.size()) return std::nullopt;
  int v = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

}  // namespace

std::optional<std::int64_t> date_days(std::string_view s) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  auto y = digits(s, 0, 4), m = digits(s, 5, 2), d = digits(s, 8, 2);
  if (!y || !m || !d) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year(*y),
                                        std::chrono::month(static_cast<unsigned>(*m)),
                                        std::chrono::day(static_cast<unsigned>(*d))};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days(ymd).time_since_epoch().count();
}

std::optional<std::int64_t> parse_rfc3339(std::string_view s) {
  auto days = date_days(s);
  if (!days || s.size() < 20) return std::nullopt;
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return std::nullopt;
  if (s[13] != ':' || s[16] != ':') return std::nullopt;
  auto hh = digits(s, 11, 2), mm = digits(s, 14, 2), ss = digits(s, 17, 2);
  // 60 is a leap second, which RFC 3339 allows.
  if (!hh || !mm || !ss || *hh > 23 || *mm > 59 || *ss > 60) return std::nullopt;
  std::size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    std::size_t start = ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start) return std::nullopt;
  }
  if (pos >= s.size()) return std::nullopt;  // RFC 3339 requires a zone
  std::int64_t offset = 0;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    auto oh = digits(s, pos + 1, 2), om = digits(s, pos + 4, 2);
    if (!oh || !om || pos + 3 >= s.size() || s[pos + 3] != ':' || *oh > 23 || *om > 59)
      return std::nullopt;
    offset = (*oh * 60 + *om) * 60;
    if (s[pos] == '-') offset = -offset;
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  return *days * 86400 + *hh * 3600 + *mm * 60 + *ss - offset;
}

namespace {

struct CivilTime {
  int year;
  unsigned month, day;
  std::int64_t second_of_day;
};

CivilTime civil(std::int64_t unix_seconds) {
  using namespace std::chrono;
  const std::int64_t days =
      unix_seconds >= 0 ? unix_seconds / 86400 : -((-unix_seconds + 86399) / 86400);
  const year_month_day ymd{sys_days{std::chrono::days{days}}};
  return {static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
          static_cast<unsigned>(ymd.day()), unix_seconds - days * 86400};
}

}  // namespace

std::string format_date(std::int64_t unix_seconds) {
  const CivilTime t = civil(unix_seconds);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", t.year, t.month, t.day);
  return buf;
}

std::string format_rfc3339(std::int64_t unix_seconds) {
  const CivilTime t = civil(unix_seconds);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", t.year, t.month, t.day,
                static_cast<int>(t.second_of_day / 3600),
                static_cast<int>(t.second_of_day / 60 % 60),
                static_cast<int>(t.second_of_day % 60));
  return buf;
}

}  // namespace patchparty
