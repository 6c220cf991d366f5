// When the patch party happens: a five-field cron expression read in one time zone.
//
// Syntax (Vixie cron, plus two Quartz-style extensions):
//   minute hour day-of-month month day-of-week
//   each field: '*', 'n', 'a-b', '*/s', 'a-b/s', and comma lists of those
//   month: 1-12 or JAN-DEC; day-of-week: 0-7 (0 and 7 are Sunday) or SUN-SAT; names in any case
//   day-of-week 'd#n': the nth weekday d of the month (n 1-5), so "2#1" is the first Tuesday
//   day-of-week 'dL': the last weekday d of the month; day-of-month 'L': the month's last day
//   macros: @yearly (@annually), @monthly, @weekly, @daily (@midnight), @hourly
//
// Day matching follows Vixie cron: when both day fields are restricted, a day matching EITHER
// fires ("0 9 13 * 5" is every 13th and every Friday, not Friday the 13th). A field counts as
// unrestricted when it starts with '*', so "*/2" in one day field still ANDs with the other.
// To say "first Tuesday", use "2#1", not "1-7 * 2".
//
// Daylight saving time, decided once for every caller:
//   - a local time skipped by a spring-forward gap fires at the first instant after the gap
//     (02:30 on the last Sunday of March in Europe/Paris fires at 03:00 CEST); several matches
//     in one gap collapse into that single firing. cronie does the same for fixed-time jobs: a
//     party must not silently move a month away.
//   - a local time repeated by a fall-back overlap fires once, at its first occurrence.
// Consequently firings are strictly increasing instants and next_after/last_at_or_before agree:
// for every firing f, next_after(f - 1) == f and last_at_or_before(f) == f.
#pragma once

#include <absl/time/time.h>

#include <array>
#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/base/result.h"

namespace patchparty::party {

// "localtime" (the TZ variable, else /etc/localtime; UTC when neither can be read, as libc
// does), "UTC", or an IANA name from the system's zoneinfo ("Europe/Paris"). Errors are
// invalid_argument: "'Mars/Olympus' is not a known time zone (tzdata)".
[[nodiscard]] Result<absl::TimeZone> load_time_zone(std::string_view name);

class CronSchedule {
 public:
  // Every error is invalid_argument and names the field and the bad token:
  // "day-of-week: '9' is out of range 0-7", "time zone: 'Mars/Olympus' is not a known time
  // zone (tzdata)". The expression is checked before the zone.
  [[nodiscard]] static Result<CronSchedule> parse(std::string_view expression,
                                                  std::string_view time_zone);

  // The first firing strictly after `unix_seconds`. nullopt when none falls within
  // kSearchYears (an impossible date such as "0 0 31 2 *"), or when `unix_seconds` is outside
  // years 1-9999.
  std::optional<std::int64_t> next_after(std::int64_t unix_seconds) const;
  // The most recent firing at or before `unix_seconds`, with the same limits.
  std::optional<std::int64_t> last_at_or_before(std::int64_t unix_seconds) const;

  // "first Tuesday of the month at 09:00 Europe/Paris", or the normalized fields for shapes
  // without a phrase: "'*/15 9-17 * * 1-5' in UTC".
  std::string describe() const;

  // The five fields separated by single spaces, macros expanded.
  const std::string& expression() const { return expression_; }
  const std::string& time_zone_name() const { return time_zone_name_; }

  // Long enough for Feb 29 across a skipped leap year (2096 -> 2104).
  static constexpr int kSearchYears = 9;

 private:
  CronSchedule() = default;

  bool matches_day(absl::CivilDay day) const;
  std::int64_t resolve(absl::CivilMinute local) const;

  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;     // 1-31
  std::bitset<13> months_;   // 1-12
  std::bitset<7> weekdays_;  // 0 = Sunday
  std::bitset<7> last_weekdays_;
  std::array<std::bitset<6>, 7> nth_weekdays_{};  // [weekday][n], n 1-5
  bool last_day_of_month_ = false;
  bool day_of_month_star_ = false;
  bool day_of_week_star_ = false;
  std::string expression_;
  std::string time_zone_name_;
  absl::TimeZone zone_;
};

}  // namespace patchparty::party
