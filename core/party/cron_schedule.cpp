#include "core/party/cron_schedule.h"

#include <absl/time/civil_time.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <span>
#include <vector>

#include "core/base/error_context.h"

namespace patchparty::party {

namespace {

// Years 1 to 9999: wide enough for any party, narrow enough that civil arithmetic stays far
// from the limits of its 64-bit year.
constexpr std::int64_t kMinSeconds = -62135596800;  // 0001-01-01T00:00:00Z
constexpr std::int64_t kMaxSeconds = 253402300799;  // 9999-12-31T23:59:59Z

constexpr std::array<std::string_view, 12> kMonthNames = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                          "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<std::string_view, 7> kDayNames = {"SUN", "MON", "TUE", "WED",
                                                       "THU", "FRI", "SAT"};
constexpr std::array<std::string_view, 7> kDayNamesLong = {
    "Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
constexpr std::array<std::string_view, 5> kOrdinals = {"first", "second", "third", "fourth",
                                                       "fifth"};

struct Macro {
  std::string_view name;
  std::string_view fields;
};
constexpr std::array<Macro, 7> kMacros = {{
    {"@yearly", "0 0 1 1 *"},
    {"@annually", "0 0 1 1 *"},
    {"@monthly", "0 0 1 * *"},
    {"@weekly", "0 0 * * 0"},
    {"@daily", "0 0 * * *"},
    {"@midnight", "0 0 * * *"},
    {"@hourly", "0 * * * *"},
}};

struct FieldSpec {
  std::string_view name;
  int low;
  int high;
  std::span<const std::string_view> names;  // accepted in place of numbers, case-insensitive
  int name_base;                            // the value names[0] stands for
};

constexpr FieldSpec kMinute{"minute", 0, 59, {}, 0};
constexpr FieldSpec kHour{"hour", 0, 23, {}, 0};
constexpr FieldSpec kDayOfMonth{"day-of-month", 1, 31, {}, 0};
constexpr FieldSpec kMonth{"month", 1, 12, kMonthNames, 1};
constexpr FieldSpec kDayOfWeek{"day-of-week", 0, 7, kDayNames, 0};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

std::vector<std::string_view> split_fields(std::string_view s) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    std::size_t start = i;
    while (i < s.size() && !is_space(s[i])) ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'a' && a[i] <= 'z' ? static_cast<char>(a[i] - 'a' + 'A') : a[i];
    char y = b[i] >= 'a' && b[i] <= 'z' ? static_cast<char>(b[i] - 'a' + 'A') : b[i];
    if (x != y) return false;
  }
  return true;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

tl::unexpected<Error> field_error(const FieldSpec& f, std::string_view token,
                                  std::string_view problem) {
  return fail(Errc::invalid_argument,
              std::string(f.name) + ": '" + std::string(token) + "' " + std::string(problem));
}

std::string range_text(int low, int high) {
  return std::to_string(low) + "-" + std::to_string(high);
}

// A number within [low, high], or for month and day-of-week a three-letter name.
Result<int> parse_value(const FieldSpec& f, std::string_view token, int low, int high) {
  if (all_digits(token)) {
    int v = 0;
    // More than three digits cannot be in range and might not fit an int.
    if (token.size() > 3) return field_error(f, token, "is out of range " + range_text(low, high));
    std::from_chars(token.data(), token.data() + token.size(), v);
    if (v < low || v > high)
      return field_error(f, token, "is out of range " + range_text(low, high));
    return v;
  }
  for (std::size_t i = 0; i < f.names.size(); ++i)
    if (iequals(token, f.names[i])) return f.name_base + static_cast<int>(i);
  if (token.empty()) return field_error(f, token, "is empty where a value was expected");
  if (f.names.empty()) return field_error(f, token, "is not a number");
  return field_error(f, token,
                     f.names.size() == 12 ? "is not a number or month name (JAN-DEC)"
                                          : "is not a number or day name (SUN-SAT)");
}

// Values of one field, before day-of-week's 7 is folded onto 0.
struct ParsedField {
  std::bitset<64> values;
  std::bitset<7> last_weekdays;
  std::array<std::bitset<6>, 7> nth_weekdays{};
  bool last_day = false;
  bool star = false;
};

Result<void> parse_item(const FieldSpec& f, std::string_view item, ParsedField& out) {
  const bool dow = f.name == kDayOfWeek.name;
  if (item.empty()) return field_error(f, item, "is an empty list item");

  if (f.name == kDayOfMonth.name && (item == "L" || item == "l")) {
    out.last_day = true;
    return {};
  }
  if (dow) {
    if (auto hash = item.find('#'); hash != std::string_view::npos) {
      if (hash == 0) return field_error(f, item, "needs a weekday before '#'");
      PP_TRY(day, parse_value(f, item.substr(0, hash), f.low, f.high));
      std::string_view n = item.substr(hash + 1);
      if (!all_digits(n) || n.size() > 1 || n[0] < '1' || n[0] > '5')
        return field_error(f, item, "needs an occurrence 1-5 after '#'");
      out.nth_weekdays[day % 7].set(static_cast<std::size_t>(n[0] - '0'));
      return {};
    }
    if (item.size() > 1 && (item.back() == 'L' || item.back() == 'l')) {
      PP_TRY(day, parse_value(f, item.substr(0, item.size() - 1), f.low, f.high));
      out.last_weekdays.set(static_cast<std::size_t>(day % 7));
      return {};
    }
  }

  std::string_view range = item;
  int step = 1;
  if (auto slash = item.find('/'); slash != std::string_view::npos) {
    range = item.substr(0, slash);
    std::string_view s = item.substr(slash + 1);
    const int width = f.high - f.low + 1;
    if (!all_digits(s) || s.size() > 3)
      return field_error(f, item, "needs a step 1-" + std::to_string(width) + " after '/'");
    std::from_chars(s.data(), s.data() + s.size(), step);
    if (step < 1 || step > width)
      return field_error(f, item, "needs a step 1-" + std::to_string(width) + " after '/'");
    if (range != "*" && range.find('-') == std::string_view::npos)
      return field_error(f, item, "has a step without a range: write '*/n' or 'a-b/n'");
  }

  int first = f.low;
  int last = f.high;
  if (range != "*") {
    auto dash = range.find('-');
    if (dash == 0 || (dash != std::string_view::npos && dash + 1 == range.size()))
      return field_error(f, item, "is not a valid range a-b");
    PP_TRY(a, parse_value(f, range.substr(0, dash), f.low, f.high));
    first = last = a;
    if (dash != std::string_view::npos) {
      PP_TRY(b, parse_value(f, range.substr(dash + 1), f.low, f.high));
      if (b < a) return field_error(f, item, "is a range whose start is after its end");
      last = b;
    }
  }
  for (int v = first; v <= last; v += step) out.values.set(static_cast<std::size_t>(v));
  return {};
}

Result<ParsedField> parse_field(const FieldSpec& f, std::string_view text) {
  ParsedField out;
  out.star = !text.empty() && text.front() == '*';
  std::size_t start = 0;
  while (true) {
    std::size_t comma = text.find(',', start);
    std::string_view item = text.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    PP_CHECK(parse_item(f, item, out));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

template <std::size_t N>
std::bitset<N> low_bits(const std::bitset<64>& b) {
  std::bitset<N> out;
  for (std::size_t i = 0; i < N; ++i) out[i] = b[i];
  return out;
}

// Weekday with Sunday as 0, as cron counts.
int cron_weekday(absl::CivilDay d) {
  switch (absl::GetWeekday(d)) {
    case absl::Weekday::sunday:
      return 0;
    case absl::Weekday::monday:
      return 1;
    case absl::Weekday::tuesday:
      return 2;
    case absl::Weekday::wednesday:
      return 3;
    case absl::Weekday::thursday:
      return 4;
    case absl::Weekday::friday:
      return 5;
    case absl::Weekday::saturday:
      return 6;
  }
  return 0;
}

int days_in_month(absl::CivilDay d) {
  return (absl::CivilDay(absl::CivilMonth(d) + 1) - 1).day();
}

std::string two_digits(int v) {
  return (v < 10 ? "0" : "") + std::to_string(v);
}

template <std::size_t N>
int only_bit(const std::bitset<N>& b) {
  for (std::size_t i = 0; i < N; ++i)
    if (b[i]) return static_cast<int>(i);
  return -1;
}

}  // namespace

Result<absl::TimeZone> load_time_zone(std::string_view name) {
  if (name == "localtime") return absl::LocalTimeZone();
  if (name == "UTC") return absl::UTCTimeZone();
  // The zone loader also reads absolute paths and walks "..": keep names to the IANA
  // alphabet so a config value cannot make it open arbitrary files.
  const bool ok_chars = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
           c == '_' || c == '-' || c == '+';
  });
  if (name.empty() || name.size() > 64 || !ok_chars || name.front() == '/' || name.back() == '/' ||
      name.find("//") != std::string_view::npos)
    return fail(Errc::invalid_argument, "'" + std::string(name) +
                                            "' is not an IANA name such as Europe/Paris, "
                                            "UTC or localtime");
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(std::string(name), &tz))
    return fail(Errc::invalid_argument,
                "'" + std::string(name) + "' is not a known time zone (tzdata)");
  return tz;
}

Result<CronSchedule> CronSchedule::parse(std::string_view expression, std::string_view time_zone) {
  std::vector<std::string_view> fields = split_fields(expression);
  if (fields.size() == 1 && fields[0].front() == '@') {
    auto m = std::find_if(kMacros.begin(), kMacros.end(),
                          [&](const Macro& x) { return iequals(x.name, fields[0]); });
    if (m == kMacros.end())
      return fail(Errc::invalid_argument,
                  "'" + std::string(fields[0]) +
                      "' is not a supported macro (@yearly, @annually, @monthly, @weekly, "
                      "@daily, @midnight, @hourly)");
    fields = split_fields(m->fields);
  }
  if (fields.size() != 5)
    return fail(Errc::invalid_argument,
                "expected 5 fields (minute hour day-of-month month day-of-week), got " +
                    std::to_string(fields.size()) + " in '" + std::string(expression) + "'");

  PP_TRY(minute, parse_field(kMinute, fields[0]));
  PP_TRY(hour, parse_field(kHour, fields[1]));
  PP_TRY(dom, parse_field(kDayOfMonth, fields[2]));
  PP_TRY(month, parse_field(kMonth, fields[3]));
  PP_TRY(dow, parse_field(kDayOfWeek, fields[4]));
  PP_TRY(zone, with_context(load_time_zone(time_zone), "time zone"));

  CronSchedule s;
  s.minutes_ = low_bits<60>(minute.values);
  s.hours_ = low_bits<24>(hour.values);
  s.days_ = low_bits<32>(dom.values);
  s.last_day_of_month_ = dom.last_day;
  s.day_of_month_star_ = dom.star;
  s.months_ = low_bits<13>(month.values);
  s.weekdays_ = low_bits<7>(dow.values);
  if (dow.values[7]) s.weekdays_.set(0);
  s.last_weekdays_ = dow.last_weekdays;
  s.nth_weekdays_ = dow.nth_weekdays;
  s.day_of_week_star_ = dow.star;
  for (std::string_view f : fields) {
    if (!s.expression_.empty()) s.expression_ += ' ';
    s.expression_ += f;
  }
  s.time_zone_name_ = std::string(time_zone);
  s.zone_ = zone;
  return s;
}

bool CronSchedule::matches_day(absl::CivilDay day) const {
  const int dom = day.day();
  const int last = days_in_month(day);
  const int wd = cron_weekday(day);
  const bool dom_ok = days_[static_cast<std::size_t>(dom)] || (last_day_of_month_ && dom == last);
  const bool dow_ok = weekdays_[static_cast<std::size_t>(wd)] ||
                      nth_weekdays_[static_cast<std::size_t>(wd)][(dom - 1) / 7 + 1] ||
                      (last_weekdays_[static_cast<std::size_t>(wd)] && dom + 7 > last);
  // Vixie cron: a '*' day field defers to the other one; two restricted fields widen each other.
  if (day_of_month_star_ || day_of_week_star_) return dom_ok && dow_ok;
  return dom_ok || dow_ok;
}

std::int64_t CronSchedule::resolve(absl::CivilMinute local) const {
  const absl::TimeZone::TimeInfo ti = zone_.At(absl::CivilSecond(local));
  // Skipped: the transition is the first instant after the gap. Repeated: `pre` uses the
  // earlier offset, so it is the first occurrence.
  return absl::ToUnixSeconds(ti.kind == absl::TimeZone::TimeInfo::SKIPPED ? ti.trans : ti.pre);
}

// Both searches walk local candidates in civil order and resolve each to an instant. The
// resolution is monotonic (gap times share the transition instant; repeated times take the
// earlier offset), so the first candidate past the bound in walking order is the answer.
std::optional<std::int64_t> CronSchedule::next_after(std::int64_t unix_seconds) const {
  if (unix_seconds < kMinSeconds || unix_seconds > kMaxSeconds) return std::nullopt;
  const absl::CivilMinute start(zone_.At(absl::FromUnixSeconds(unix_seconds)).cs);
  const absl::CivilDay end = absl::CivilDay(start) + 366 * kSearchYears;
  for (absl::CivilDay d(start); d <= end;) {
    if (!months_[static_cast<std::size_t>(d.month())]) {
      d = absl::CivilDay(absl::CivilMonth(d) + 1);
      continue;
    }
    if (matches_day(d)) {
      for (int h = 0; h < 24; ++h) {
        if (!hours_[static_cast<std::size_t>(h)]) continue;
        for (int m = 0; m < 60; ++m) {
          if (!minutes_[static_cast<std::size_t>(m)]) continue;
          const absl::CivilMinute c(d.year(), d.month(), d.day(), h, m);
          if (c < start) continue;
          const std::int64_t at = resolve(c);
          if (at > unix_seconds) return at;
        }
      }
    }
    ++d;
  }
  return std::nullopt;
}

std::optional<std::int64_t> CronSchedule::last_at_or_before(std::int64_t unix_seconds) const {
  if (unix_seconds < kMinSeconds || unix_seconds > kMaxSeconds) return std::nullopt;
  // A local time up to a day later can be the first occurrence of a repeated time that has
  // already passed, so the walk starts one day ahead.
  const absl::CivilMinute start =
      absl::CivilMinute(zone_.At(absl::FromUnixSeconds(unix_seconds)).cs) + 24 * 60;
  const absl::CivilDay end = absl::CivilDay(start) - 366 * kSearchYears;
  for (absl::CivilDay d(start); d >= end;) {
    if (!months_[static_cast<std::size_t>(d.month())]) {
      d = absl::CivilDay(absl::CivilMonth(d)) - 1;
      continue;
    }
    if (matches_day(d)) {
      for (int h = 23; h >= 0; --h) {
        if (!hours_[static_cast<std::size_t>(h)]) continue;
        for (int m = 59; m >= 0; --m) {
          if (!minutes_[static_cast<std::size_t>(m)]) continue;
          const absl::CivilMinute c(d.year(), d.month(), d.day(), h, m);
          if (c > start) continue;
          const std::int64_t at = resolve(c);
          if (at <= unix_seconds) return at;
        }
      }
    }
    --d;
  }
  return std::nullopt;
}

std::string CronSchedule::describe() const {
  const bool one_time = minutes_.count() == 1 && hours_.count() == 1;
  const bool every_month = months_.count() == 12;
  const bool any_day_of_month = day_of_month_star_ && days_.count() == 31 && !last_day_of_month_;
  std::string at;
  if (one_time)
    at =
        two_digits(only_bit(hours_)) + ":" + two_digits(only_bit(minutes_)) + " " + time_zone_name_;
  if (one_time && every_month && any_day_of_month && weekdays_.none()) {
    // One "#n" or "L" weekday item: the shape of a party date.
    int found = 0;
    std::string phrase;
    for (std::size_t wd = 0; wd < 7; ++wd) {
      for (std::size_t n = 1; n <= 5; ++n) {
        if (!nth_weekdays_[wd][n]) continue;
        ++found;
        phrase = std::string(kOrdinals[n - 1]) + " " + std::string(kDayNamesLong[wd]);
      }
      if (last_weekdays_[wd]) {
        ++found;
        phrase = "last " + std::string(kDayNamesLong[wd]);
      }
    }
    if (found == 1) return phrase + " of the month at " + at;
  }
  if (one_time && every_month && any_day_of_month && day_of_week_star_ && weekdays_.count() == 7)
    return "every day at " + at;
  return "'" + expression_ + "' in " + time_zone_name_;
}

}  // namespace patchparty::party
