#include "core/party/cron_schedule.h"

#include <absl/time/civil_time.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "tests/support/test_data.h"

namespace patchparty::party {
namespace {

using ::testing::ElementsAre;

absl::TimeZone zone(const std::string& name) {
  absl::TimeZone tz;
  // tzdata is a build dependency of these tests: a missing zone fails loudly.
  EXPECT_TRUE(absl::LoadTimeZone(name, &tz)) << "missing tzdata zone " << name;
  return tz;
}

// A unique (not skipped, not repeated) local time as Unix seconds.
std::int64_t local(const std::string& tz, int y, int mo, int d, int h = 0, int mi = 0) {
  return absl::ToUnixSeconds(absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi, 0), zone(tz)));
}

std::int64_t utc(int y, int mo, int d, int h = 0, int mi = 0) {
  return local("UTC", y, mo, d, h, mi);
}

// Local wall time with its offset, so a DST mistake shows in the expected string.
std::string show(std::optional<std::int64_t> t, const std::string& tz) {
  if (!t) return "none";
  return absl::FormatTime("%Y-%m-%d %H:%M %z", absl::FromUnixSeconds(*t), zone(tz));
}

CronSchedule make(std::string_view expr, std::string_view tz = "UTC") {
  auto s = CronSchedule::parse(expr, tz);
  EXPECT_TRUE(s.has_value()) << expr << ": " << s.error().message;
  if (!s) std::abort();
  return *s;
}

std::vector<std::string> firings(std::string_view expr, const std::string& tz, std::int64_t from,
                                 int n) {
  CronSchedule s = make(expr, tz);
  std::vector<std::string> out;
  std::optional<std::int64_t> t = from;
  for (int i = 0; i < n && t; ++i) {
    t = s.next_after(*t);
    out.push_back(show(t, tz));
  }
  return out;
}

std::string parse_error(std::string_view expr, std::string_view tz = "UTC") {
  auto s = CronSchedule::parse(expr, tz);
  if (s) return "parsed";
  EXPECT_EQ(s.error().code, Errc::invalid_argument);
  return s.error().message;
}

// --- parsing ---

TEST(CronSchedule, ParsesNumbersRangesListsAndSteps) {
  const std::int64_t from = utc(2026, 1, 1);
  EXPECT_THAT(
      firings("*/15 9-10 * * *", "UTC", from, 9),
      ElementsAre("2026-01-01 09:00 +0000", "2026-01-01 09:15 +0000", "2026-01-01 09:30 +0000",
                  "2026-01-01 09:45 +0000", "2026-01-01 10:00 +0000", "2026-01-01 10:15 +0000",
                  "2026-01-01 10:30 +0000", "2026-01-01 10:45 +0000", "2026-01-02 09:00 +0000"));
  EXPECT_THAT(
      firings("5-20/5 7 * * *", "UTC", from, 5),
      ElementsAre("2026-01-01 07:05 +0000", "2026-01-01 07:10 +0000", "2026-01-01 07:15 +0000",
                  "2026-01-01 07:20 +0000", "2026-01-02 07:05 +0000"));
  EXPECT_THAT(
      firings("0,30 8,12 * * *", "UTC", from, 5),
      ElementsAre("2026-01-01 08:00 +0000", "2026-01-01 08:30 +0000", "2026-01-01 12:00 +0000",
                  "2026-01-01 12:30 +0000", "2026-01-02 08:00 +0000"));
  EXPECT_THAT(
      firings("0 0 1,15 */5 *", "UTC", from, 5),
      ElementsAre("2026-01-15 00:00 +0000", "2026-06-01 00:00 +0000", "2026-06-15 00:00 +0000",
                  "2026-11-01 00:00 +0000", "2026-11-15 00:00 +0000"));
  EXPECT_THAT(firings("59 23 31 12 *", "UTC", from, 2),
              ElementsAre("2026-12-31 23:59 +0000", "2027-12-31 23:59 +0000"));
  // Leading zeros, tabs and surrounding blanks are accepted; expression() normalizes them.
  EXPECT_EQ(make("  00\t09 * *   2#1 \n").expression(), "00 09 * * 2#1");
}

TEST(CronSchedule, ParsesMonthAndDayNamesInAnyCase) {
  const std::int64_t from = utc(2026, 1, 1);
  EXPECT_THAT(
      firings("0 0 1 jan,Jul *", "UTC", from, 3),
      ElementsAre("2026-07-01 00:00 +0000", "2027-01-01 00:00 +0000", "2027-07-01 00:00 +0000"));
  EXPECT_THAT(firings("0 0 1 MAR-may *", "UTC", from, 4),
              ElementsAre("2026-03-01 00:00 +0000", "2026-04-01 00:00 +0000",
                          "2026-05-01 00:00 +0000", "2027-03-01 00:00 +0000"));
  // 2026-01-01 is a Thursday.
  EXPECT_THAT(firings("0 0 * * mon-FRI", "UTC", from, 4),
              ElementsAre("2026-01-02 00:00 +0000", "2026-01-05 00:00 +0000",
                          "2026-01-06 00:00 +0000", "2026-01-07 00:00 +0000"));
  EXPECT_THAT(
      firings("0 0 * * Sat,sun", "UTC", from, 3),
      ElementsAre("2026-01-03 00:00 +0000", "2026-01-04 00:00 +0000", "2026-01-10 00:00 +0000"));
}

TEST(CronSchedule, SundayIsZeroAndSeven) {
  const std::int64_t from = utc(2026, 1, 1);
  const auto sundays = firings("0 0 * * 0", "UTC", from, 3);
  EXPECT_THAT(sundays, ElementsAre("2026-01-04 00:00 +0000", "2026-01-11 00:00 +0000",
                                   "2026-01-18 00:00 +0000"));
  EXPECT_EQ(firings("0 0 * * 7", "UTC", from, 3), sundays);
  EXPECT_EQ(firings("0 0 * * SUN", "UTC", from, 3), sundays);
  EXPECT_THAT(firings("0 0 * * 5-7", "UTC", from, 4),
              ElementsAre("2026-01-02 00:00 +0000", "2026-01-03 00:00 +0000",
                          "2026-01-04 00:00 +0000", "2026-01-09 00:00 +0000"));
  EXPECT_EQ(firings("0 0 * * 7#1", "UTC", from, 2), firings("0 0 * * 0#1", "UTC", from, 2));
}

TEST(CronSchedule, ExpandsMacros) {
  EXPECT_EQ(make("@yearly").expression(), "0 0 1 1 *");
  EXPECT_EQ(make("@annually").expression(), "0 0 1 1 *");
  EXPECT_EQ(make("@monthly").expression(), "0 0 1 * *");
  EXPECT_EQ(make("@WEEKLY").expression(), "0 0 * * 0");
  EXPECT_EQ(make("@daily").expression(), "0 0 * * *");
  EXPECT_EQ(make("@midnight").expression(), "0 0 * * *");
  EXPECT_EQ(make(" @hourly ").expression(), "0 * * * *");
  EXPECT_THAT(firings("@monthly", "UTC", utc(2026, 1, 31, 12), 2),
              ElementsAre("2026-02-01 00:00 +0000", "2026-03-01 00:00 +0000"));
}

TEST(CronSchedule, LastDayAndLastWeekdayOfTheMonth) {
  EXPECT_THAT(
      firings("0 0 L * *", "UTC", utc(2028, 1, 1), 3),
      ElementsAre("2028-01-31 00:00 +0000", "2028-02-29 00:00 +0000", "2028-03-31 00:00 +0000"));
  EXPECT_THAT(
      firings("0 18 * * 5L", "UTC", utc(2026, 1, 1), 3),
      ElementsAre("2026-01-30 18:00 +0000", "2026-02-27 18:00 +0000", "2026-03-27 18:00 +0000"));
  EXPECT_EQ(firings("0 18 * * friL", "UTC", utc(2026, 1, 1), 3),
            firings("0 18 * * 5l", "UTC", utc(2026, 1, 1), 3));
}

TEST(CronSchedule, NthWeekday) {
  EXPECT_THAT(firings("0 0 * * 1#5", "UTC", utc(2026, 1, 1), 4),
              ElementsAre("2026-03-30 00:00 +0000", "2026-06-29 00:00 +0000",
                          "2026-08-31 00:00 +0000", "2026-11-30 00:00 +0000"));
  // A list of occurrences: first Tuesday and third Thursday.
  EXPECT_THAT(firings("0 9 * * TUE#1,4#3", "UTC", utc(2026, 1, 1), 4),
              ElementsAre("2026-01-06 09:00 +0000", "2026-01-15 09:00 +0000",
                          "2026-02-03 09:00 +0000", "2026-02-19 09:00 +0000"));
}

TEST(CronSchedule, RestrictedDayFieldsAreOrNotAnd) {
  // Vixie cron: the 13th OR any Friday. April 2026: Fridays 3, 10, 17, 24; the 13th a Monday.
  EXPECT_THAT(
      firings("0 9 13 * 5", "UTC", utc(2026, 4, 1), 5),
      ElementsAre("2026-04-03 09:00 +0000", "2026-04-10 09:00 +0000", "2026-04-13 09:00 +0000",
                  "2026-04-17 09:00 +0000", "2026-04-24 09:00 +0000"));
  // '#' also widens a restricted day-of-month: the 1st OR the first Tuesday.
  EXPECT_THAT(
      firings("0 0 1 * 2#1", "UTC", utc(2026, 3, 2), 3),
      ElementsAre("2026-03-03 00:00 +0000", "2026-04-01 00:00 +0000", "2026-04-07 00:00 +0000"));
  // A field starting with '*' is unrestricted, even with a step: odd days that are Mondays.
  EXPECT_THAT(firings("0 0 */2 * 1", "UTC", utc(2026, 4, 1), 4),
              ElementsAre("2026-04-13 00:00 +0000", "2026-04-27 00:00 +0000",
                          "2026-05-11 00:00 +0000", "2026-05-25 00:00 +0000"));
  // "1-7 * 2" is NOT the first Tuesday: it is days 1-7 plus every Tuesday.
  EXPECT_THAT(
      firings("0 0 1-7 * 2", "UTC", utc(2026, 3, 7), 3),
      ElementsAre("2026-03-10 00:00 +0000", "2026-03-17 00:00 +0000", "2026-03-24 00:00 +0000"));
}

TEST(CronSchedule, RejectsBadExpressionsNamingFieldAndToken) {
  EXPECT_EQ(parse_error(""),
            "expected 5 fields (minute hour day-of-month month day-of-week), got 0 in "
            "''");
  EXPECT_EQ(parse_error("0 9 * *"),
            "expected 5 fields (minute hour day-of-month month day-of-week), got 4 in "
            "'0 9 * *'");
  EXPECT_THAT(parse_error("0 9 * * * *"), ::testing::HasSubstr("got 6"));
  EXPECT_THAT(parse_error("@reboot"), ::testing::StartsWith("'@reboot' is not a supported macro"));
  EXPECT_THAT(parse_error("@daily 0"), ::testing::HasSubstr("got 2"));
  EXPECT_EQ(parse_error("60 * * * *"), "minute: '60' is out of range 0-59");
  EXPECT_EQ(parse_error("* 24 * * *"), "hour: '24' is out of range 0-23");
  EXPECT_EQ(parse_error("* * 0 * *"), "day-of-month: '0' is out of range 1-31");
  EXPECT_EQ(parse_error("* * 32 * *"), "day-of-month: '32' is out of range 1-31");
  EXPECT_EQ(parse_error("* * * 13 *"), "month: '13' is out of range 1-12");
  EXPECT_EQ(parse_error("* * * 0 *"), "month: '0' is out of range 1-12");
  EXPECT_EQ(parse_error("* * * * 9"), "day-of-week: '9' is out of range 0-7");
  EXPECT_EQ(parse_error("99999999999999999999 * * * *"),
            "minute: '99999999999999999999' is out of range 0-59");
  EXPECT_EQ(parse_error("* 1-25 * * *"), "hour: '25' is out of range 0-23");
  EXPECT_EQ(parse_error("x * * * *"), "minute: 'x' is not a number");
  EXPECT_EQ(parse_error("-1 * * * *"), "minute: '-1' is not a valid range a-b");
  EXPECT_EQ(parse_error("1- * * * *"), "minute: '1-' is not a valid range a-b");
  EXPECT_EQ(parse_error("1-2-3 * * * *"), "minute: '2-3' is not a number");
  EXPECT_EQ(parse_error("* * * * #1"), "day-of-week: '#1' needs a weekday before '#'");
  EXPECT_EQ(parse_error("* * * FOO *"), "month: 'FOO' is not a number or month name (JAN-DEC)");
  EXPECT_EQ(parse_error("* * * JANUARY *"),
            "month: 'JANUARY' is not a number or month name (JAN-DEC)");
  EXPECT_EQ(parse_error("* * * * FUN"), "day-of-week: 'FUN' is not a number or day name (SUN-SAT)");
  EXPECT_EQ(parse_error("* * MON * *"), "day-of-month: 'MON' is not a number");
  EXPECT_EQ(parse_error("5-1 * * * *"), "minute: '5-1' is a range whose start is after its end");
  EXPECT_EQ(parse_error("* * * * FRI-MON"),
            "day-of-week: 'FRI-MON' is a range whose start is after its end");
  EXPECT_EQ(parse_error("*/0 * * * *"), "minute: '*/0' needs a step 1-60 after '/'");
  EXPECT_EQ(parse_error("* */25 * * *"), "hour: '*/25' needs a step 1-24 after '/'");
  EXPECT_EQ(parse_error("*/x * * * *"), "minute: '*/x' needs a step 1-60 after '/'");
  EXPECT_EQ(parse_error("5/10 * * * *"),
            "minute: '5/10' has a step without a range: write '*/n' or 'a-b/n'");
  EXPECT_EQ(parse_error("1,,2 * * * *"), "minute: '' is an empty list item");
  EXPECT_EQ(parse_error("1, * * * *"), "minute: '' is an empty list item");
  EXPECT_EQ(parse_error("* * * * 2#6"), "day-of-week: '2#6' needs an occurrence 1-5 after '#'");
  EXPECT_EQ(parse_error("* * * * 2#0"), "day-of-week: '2#0' needs an occurrence 1-5 after '#'");
  EXPECT_EQ(parse_error("* * * * 2#"), "day-of-week: '2#' needs an occurrence 1-5 after '#'");
  EXPECT_EQ(parse_error("* * * * 9#1"), "day-of-week: '9' is out of range 0-7");
  EXPECT_EQ(parse_error("* * * * 9L"), "day-of-week: '9' is out of range 0-7");
  EXPECT_EQ(parse_error("* * * * L"), "day-of-week: 'L' is not a number or day name (SUN-SAT)");
  EXPECT_EQ(parse_error("* * 2#1 * *"), "day-of-month: '2#1' is not a number");
  EXPECT_EQ(parse_error("* * ? * *"), "day-of-month: '?' is not a number");
}

TEST(CronSchedule, LoadsTimeZones) {
  EXPECT_EQ(make("0 9 * * *", "UTC").time_zone_name(), "UTC");
  EXPECT_EQ(make("0 9 * * *", "Europe/Paris").time_zone_name(), "Europe/Paris");
  EXPECT_EQ(make("0 9 * * *", "America/New_York").time_zone_name(), "America/New_York");
  EXPECT_EQ(make("0 9 * * *", "localtime").time_zone_name(), "localtime");
}

TEST(CronSchedule, LocaltimeFollowsTz) {
  const char* old = std::getenv("TZ");
  const std::string saved = old ? old : "";
  ::setenv("TZ", "America/New_York", 1);
  auto s = make("0 9 * * *", "localtime");
  if (old)
    ::setenv("TZ", saved.c_str(), 1);
  else
    ::unsetenv("TZ");
  EXPECT_EQ(show(s.next_after(utc(2026, 7, 1)), "America/New_York"), "2026-07-01 09:00 -0400");
}

TEST(CronSchedule, RejectsBadTimeZones) {
  EXPECT_EQ(parse_error("0 9 * * *", "Mars/Olympus"),
            "time zone: 'Mars/Olympus' is not a known time zone (tzdata)");
  EXPECT_EQ(parse_error("0 9 * * *", "europe/paris"),
            "time zone: 'europe/paris' is not a known time zone (tzdata)");
  const std::string not_iana = "' is not an IANA name such as Europe/Paris, UTC or localtime";
  EXPECT_EQ(parse_error("0 9 * * *", ""), "time zone: '" + not_iana);
  EXPECT_EQ(parse_error("0 9 * * *", "/etc/localtime"), "time zone: '/etc/localtime" + not_iana);
  EXPECT_EQ(parse_error("0 9 * * *", "../../etc/passwd"),
            "time zone: '../../etc/passwd" + not_iana);
  EXPECT_EQ(parse_error("0 9 * * *", "CET-1CEST,M3.5.0,M10.5.0/3"),
            "time zone: 'CET-1CEST,M3.5.0,M10.5.0/3" + not_iana);
  // The expression is checked first, so its error wins.
  EXPECT_EQ(parse_error("61 9 * * *", "Mars/Olympus"), "minute: '61' is out of range 0-59");
}

TEST(LoadTimeZone, ReturnsTheZoneOrANamedError) {
  auto paris = load_time_zone("Europe/Paris");
  ASSERT_OK(paris);
  EXPECT_EQ(paris->name(), "Europe/Paris");
  auto utc_zone = load_time_zone("UTC");
  ASSERT_OK(utc_zone);
  EXPECT_EQ(*utc_zone, absl::UTCTimeZone());
  EXPECT_OK(load_time_zone("localtime"));
  auto bad = load_time_zone("Europe/Atlantis");
  EXPECT_ERRC(bad, Errc::invalid_argument);
  EXPECT_EQ(bad.error().message, "'Europe/Atlantis' is not a known time zone (tzdata)");
  EXPECT_ERRC(load_time_zone("Europe//Paris"), Errc::invalid_argument);
  EXPECT_ERRC(load_time_zone("Europe/Paris/"), Errc::invalid_argument);
  EXPECT_ERRC(load_time_zone(std::string(65, 'A')), Errc::invalid_argument);
}

// --- next and last ---

TEST(CronSchedule, CrossesMonthEnds) {
  auto s = make("0 0 31 * *");
  EXPECT_EQ(show(s.next_after(utc(2026, 1, 31)), "UTC"), "2026-03-31 00:00 +0000");
  EXPECT_EQ(show(s.last_at_or_before(utc(2026, 3, 30)), "UTC"), "2026-01-31 00:00 +0000");
  EXPECT_THAT(
      firings("0 0 30 * *", "UTC", utc(2026, 1, 30), 3),
      ElementsAre("2026-03-30 00:00 +0000", "2026-04-30 00:00 +0000", "2026-05-30 00:00 +0000"));
  EXPECT_THAT(firings("59 23 * * *", "UTC", utc(2026, 12, 31, 23, 58), 2),
              ElementsAre("2026-12-31 23:59 +0000", "2027-01-01 23:59 +0000"));
}

TEST(CronSchedule, FindsFebruary29) {
  auto s = make("0 12 29 2 *");
  EXPECT_EQ(show(s.next_after(utc(2026, 1, 1)), "UTC"), "2028-02-29 12:00 +0000");
  EXPECT_EQ(show(s.last_at_or_before(utc(2026, 1, 1)), "UTC"), "2024-02-29 12:00 +0000");
  // 2100 is not a leap year: eight years between 2096 and 2104.
  EXPECT_EQ(show(s.next_after(utc(2096, 3, 1)), "UTC"), "2104-02-29 12:00 +0000");
  EXPECT_EQ(show(s.last_at_or_before(utc(2103, 12, 31)), "UTC"), "2096-02-29 12:00 +0000");
  EXPECT_THAT(
      firings("0 0 28-29 2 *", "UTC", utc(2027, 3, 1), 3),
      ElementsAre("2028-02-28 00:00 +0000", "2028-02-29 00:00 +0000", "2029-02-28 00:00 +0000"));
}

TEST(CronSchedule, ImpossibleDatesEndTheSearch) {
  for (std::string_view expr : {"0 0 31 2 *", "0 0 30 2 *", "0 0 31 4,6,9,11 *"}) {
    auto s = make(expr);
    EXPECT_EQ(s.next_after(utc(2026, 1, 1)), std::nullopt) << expr;
    EXPECT_EQ(s.last_at_or_before(utc(2026, 1, 1)), std::nullopt) << expr;
  }
}

TEST(CronSchedule, RefusesInstantsOutsideYears1To9999) {
  auto s = make("* * * * *");
  EXPECT_EQ(s.next_after(std::numeric_limits<std::int64_t>::max()), std::nullopt);
  EXPECT_EQ(s.last_at_or_before(std::numeric_limits<std::int64_t>::min()), std::nullopt);
  EXPECT_EQ(show(s.next_after(utc(9999, 12, 31, 23, 58)), "UTC"), "9999-12-31 23:59 +0000");
}

TEST(CronSchedule, NextIsStrictlyAfterLastIsAtOrBefore) {
  auto s = make("0 9 * * *");
  const std::int64_t nine = utc(2026, 5, 5, 9);
  EXPECT_EQ(s.next_after(nine - 1), nine);
  EXPECT_EQ(s.next_after(nine), nine + 86400);
  EXPECT_EQ(s.last_at_or_before(nine), nine);
  EXPECT_EQ(s.last_at_or_before(nine - 1), nine - 86400);
  EXPECT_EQ(s.last_at_or_before(nine + 86399), nine);
}

TEST(CronSchedule, DefaultIsTheFirstTuesdayOfEveryMonthInParis) {
  // Winter +0100, summer +0200: every party is 09:00 on the wall clock.
  EXPECT_THAT(
      firings("0 9 * * 2#1", "Europe/Paris", local("Europe/Paris", 2026, 1, 1), 12),
      ElementsAre("2026-01-06 09:00 +0100", "2026-02-03 09:00 +0100", "2026-03-03 09:00 +0100",
                  "2026-04-07 09:00 +0200", "2026-05-05 09:00 +0200", "2026-06-02 09:00 +0200",
                  "2026-07-07 09:00 +0200", "2026-08-04 09:00 +0200", "2026-09-01 09:00 +0200",
                  "2026-10-06 09:00 +0200", "2026-11-03 09:00 +0100", "2026-12-01 09:00 +0100"));
  auto s = make("0 9 * * 2#1", "Europe/Paris");
  const std::int64_t april = local("Europe/Paris", 2026, 4, 7, 9);
  EXPECT_EQ(s.last_at_or_before(april), april);
  EXPECT_EQ(show(s.last_at_or_before(april - 1), "Europe/Paris"), "2026-03-03 09:00 +0100");
  EXPECT_EQ(show(s.last_at_or_before(local("Europe/Paris", 2026, 4, 20)), "Europe/Paris"),
            "2026-04-07 09:00 +0200");
  EXPECT_EQ(s.describe(), "first Tuesday of the month at 09:00 Europe/Paris");
}

TEST(CronSchedule, SpringGapFiresAtTheFirstInstantAfterItInParis) {
  // 2026-03-29 02:00 CET jumps to 03:00 CEST.
  const std::string tz = "Europe/Paris";
  EXPECT_THAT(
      firings("30 2 * * *", tz, local(tz, 2026, 3, 28), 3),
      ElementsAre("2026-03-28 02:30 +0100", "2026-03-29 03:00 +0200", "2026-03-30 02:30 +0200"));
  // Every match inside the gap collapses into one firing, also shared with 03:00 itself.
  EXPECT_THAT(firings("*/15 2 * * *", tz, local(tz, 2026, 3, 29), 2),
              ElementsAre("2026-03-29 03:00 +0200", "2026-03-30 02:00 +0200"));
  EXPECT_THAT(
      firings("0 2,3 * * *", tz, local(tz, 2026, 3, 29), 3),
      ElementsAre("2026-03-29 03:00 +0200", "2026-03-30 02:00 +0200", "2026-03-30 03:00 +0200"));
  auto s = make("30 2 * * *", tz);
  const std::int64_t after_gap = local(tz, 2026, 3, 29, 3);
  EXPECT_EQ(s.last_at_or_before(after_gap), after_gap);
  EXPECT_EQ(show(s.last_at_or_before(after_gap - 1), tz), "2026-03-28 02:30 +0100");
}

TEST(CronSchedule, FallBackOverlapFiresOnceAtTheFirstOccurrenceInParis) {
  // 2026-10-25 03:00 CEST falls back to 02:00 CET: 02:00-02:59 happens twice.
  const std::string tz = "Europe/Paris";
  EXPECT_THAT(
      firings("30 2 * * *", tz, local(tz, 2026, 10, 24), 3),
      ElementsAre("2026-10-24 02:30 +0200", "2026-10-25 02:30 +0200", "2026-10-26 02:30 +0100"));
  EXPECT_THAT(firings("*/30 * * * *", tz, local(tz, 2026, 10, 25, 1, 15), 4),
              ElementsAre("2026-10-25 01:30 +0200", "2026-10-25 02:00 +0200",
                          "2026-10-25 02:30 +0200", "2026-10-25 03:00 +0100"));
  auto s = make("30 2 * * *", tz);
  const std::int64_t first = utc(2026, 10, 25, 0, 30);
  const std::int64_t second = utc(2026, 10, 25, 1, 30);  // 02:30 again, now CET
  EXPECT_EQ(s.last_at_or_before(second), first);
  EXPECT_EQ(show(s.next_after(first), tz), "2026-10-26 02:30 +0100");
  EXPECT_EQ(show(s.next_after(second - 60), tz), "2026-10-26 02:30 +0100");
}

TEST(CronSchedule, SpringGapInNewYork) {
  // 2026-03-08 02:00 EST jumps to 03:00 EDT.
  const std::string tz = "America/New_York";
  EXPECT_THAT(
      firings("30 2 * * *", tz, local(tz, 2026, 3, 7), 3),
      ElementsAre("2026-03-07 02:30 -0500", "2026-03-08 03:00 -0400", "2026-03-09 02:30 -0400"));
  EXPECT_EQ(make("30 2 * * *", tz).next_after(utc(2026, 3, 8, 6)), utc(2026, 3, 8, 7));
}

TEST(CronSchedule, FallBackOverlapInNewYork) {
  // 2026-11-01 02:00 EDT falls back to 01:00 EST: 01:00-01:59 happens twice.
  const std::string tz = "America/New_York";
  EXPECT_THAT(
      firings("30 1 * * *", tz, local(tz, 2026, 10, 31), 3),
      ElementsAre("2026-10-31 01:30 -0400", "2026-11-01 01:30 -0400", "2026-11-02 01:30 -0500"));
  auto s = make("30 1 * * *", tz);
  const std::int64_t second_pass = utc(2026, 11, 1, 6, 45);  // 01:45 EST
  EXPECT_EQ(s.last_at_or_before(second_pass), utc(2026, 11, 1, 5, 30));
  EXPECT_EQ(show(s.next_after(second_pass), tz), "2026-11-02 01:30 -0500");
  // The default party shifts with the offset, not with UTC.
  EXPECT_THAT(firings("0 9 * * 2#1", tz, local(tz, 2026, 10, 1), 2),
              ElementsAre("2026-10-06 09:00 -0400", "2026-11-03 09:00 -0500"));
}

TEST(CronSchedule, NextAndLastAgreeAcrossAYear) {
  // For every firing f: next_after(f - 1) == f, last_at_or_before(f) == f, and the previous
  // firing is last_at_or_before(f - 1). Checked across both DST changes of two zones.
  for (std::string tz : {"Europe/Paris", "America/New_York", "Australia/Lord_Howe"}) {
    for (std::string_view expr : {"*/20 0-3 * * *", "0 9 * * 2#1", "45 1,2 * * SUN", "0 0 L * *"}) {
      auto s = make(expr, tz);
      std::optional<std::int64_t> prev;
      std::optional<std::int64_t> t = local(tz, 2026, 1, 1);
      for (int i = 0; i < 2000; ++i) {
        std::optional<std::int64_t> f = s.next_after(*t);
        ASSERT_TRUE(f) << tz << " " << expr;
        ASSERT_GT(*f, *t);
        if (*f > local(tz, 2027, 1, 1)) break;
        EXPECT_EQ(s.next_after(*f - 1), f) << tz << " " << expr << " " << show(f, tz);
        EXPECT_EQ(s.last_at_or_before(*f), f) << tz << " " << expr << " " << show(f, tz);
        if (prev) {
          EXPECT_EQ(s.last_at_or_before(*f - 1), prev) << tz << " " << expr;
        }
        prev = f;
        t = f;
      }
    }
  }
}

TEST(CronSchedule, Describes) {
  EXPECT_EQ(make("0 9 * * 2#1", "Europe/Paris").describe(),
            "first Tuesday of the month at 09:00 Europe/Paris");
  EXPECT_EQ(make("30 18 * * 5L").describe(), "last Friday of the month at 18:30 UTC");
  EXPECT_EQ(make("0 6 * * 4#3", "localtime").describe(),
            "third Thursday of the month at 06:00 localtime");
  EXPECT_EQ(make("5 0 * * *").describe(), "every day at 00:05 UTC");
  EXPECT_EQ(make("*/15 9-17 * * 1-5").describe(), "'*/15 9-17 * * 1-5' in UTC");
  EXPECT_EQ(make("0 9 1 * 2#1").describe(), "'0 9 1 * 2#1' in UTC");
  EXPECT_EQ(make("@monthly").describe(), "'0 0 1 * *' in UTC");
}

}  // namespace
}  // namespace patchparty::party
