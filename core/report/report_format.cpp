#include "core/report/report_format.h"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace patchparty::exporters {

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

std::optional<std::int64_t> parse_date(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') return std::nullopt;
  auto digits = [&](std::size_t from, std::size_t n) -> std::optional<unsigned> {
    unsigned v = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (date[i] < '0' || date[i] > '9') return std::nullopt;
      v = v * 10 + static_cast<unsigned>(date[i] - '0');
    }
    return v;
  };
  const auto y = digits(0, 4), m = digits(5, 2), d = digits(8, 2);
  if (!y || !m || !d) return std::nullopt;
  using namespace std::chrono;
  const year_month_day ymd{year{static_cast<int>(*y)}, month{*m}, day{*d}};
  if (!ymd.ok()) return std::nullopt;
  return static_cast<std::int64_t>(sys_days{ymd}.time_since_epoch().count()) * 86400;
}

double round_to(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

std::string format_fixed(double value, int decimals) {
  char buf[64];
  // Rounding first keeps 7.25 -> "7.3" the same on every libc, whatever its tie rule.
  std::snprintf(buf, sizeof buf, "%.*f", decimals, round_to(value, decimals));
  return buf;
}

std::string_view fix_status_label(FixStatus s) {
  return fix_status_name(s);
}

}  // namespace patchparty::exporters
