#include "core/report/report_format.h"

#include <cmath>
#include <cstdio>

namespace patchparty::exporters {

std::optional<std::int64_t> parse_date(std::string_view date) {
  if (date.size() != 10) return std::nullopt;
  const auto days = date_days(date);
  if (!days) return std::nullopt;
  return *days * 86400;
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
