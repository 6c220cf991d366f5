#include "collectors/dpkglog/dpkg_log_line.h"

#include <ctime>
#include <vector>

#include "core/versions/dpkg_version.h"

namespace patchparty::dpkglog {

namespace {

constexpr std::size_t kMaxLineBytes = 4096;

std::vector<std::string_view> split_spaces(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    std::size_t j = i;
    while (j < line.size() && line[j] != ' ') ++j;
    if (j > i) out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

bool digits(std::string_view s, std::size_t from, std::size_t n) {
  for (std::size_t k = from; k < from + n; ++k)
    if (k >= s.size() || s[k] < '0' || s[k] > '9') return false;
  return true;
}

int number(std::string_view s, std::size_t from, std::size_t n) {
  int v = 0;
  for (std::size_t k = from; k < from + n; ++k) v = v * 10 + (s[k] - '0');
  return v;
}

// "YYYY-MM-DD" "HH:MM:SS" in local time, as dpkg's log_message() writes it.
std::optional<std::int64_t> parse_time(std::string_view date, std::string_view time) {
  if (date.size() != 10 || time.size() != 8 || date[4] != '-' || date[7] != '-' || time[2] != ':' ||
      time[5] != ':')
    return std::nullopt;
  if (!digits(date, 0, 4) || !digits(date, 5, 2) || !digits(date, 8, 2) || !digits(time, 0, 2) ||
      !digits(time, 3, 2) || !digits(time, 6, 2))
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = number(date, 0, 4) - 1900;
  tm.tm_mon = number(date, 5, 2) - 1;
  tm.tm_mday = number(date, 8, 2);
  tm.tm_hour = number(time, 0, 2);
  tm.tm_min = number(time, 3, 2);
  tm.tm_sec = number(time, 6, 2);
  tm.tm_isdst = -1;  // the zone's rules decide, as for the wall clock dpkg read
  if (tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
      tm.tm_sec > 60)
    return std::nullopt;
  const std::time_t t = std::mktime(&tm);
  if (t == static_cast<std::time_t>(-1)) return std::nullopt;
  return static_cast<std::int64_t>(t);
}

bool has_control(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c == 0x7f) return true;
  return false;
}

std::string version_or_none(std::string_view v) {
  return v == "<none>" ? std::string() : std::string(v);
}

}  // namespace

Result<std::optional<DpkgLogEntry>> parse_dpkg_log_line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  // The action is the third field; anything else is not ours, however odd.
  auto fields = split_spaces(line.substr(0, kMaxLineBytes + 1));
  if (fields.size() < 3) return std::optional<DpkgLogEntry>();
  const std::string_view action = fields[2];
  if (action != "upgrade" && action != "install" && action != "remove")
    return std::optional<DpkgLogEntry>();
  if (line.size() > kMaxLineBytes)
    return fail(Errc::invalid_argument, "dpkg.log line longer than 4096 bytes");
  if (fields.size() != 6)
    return fail(Errc::invalid_argument,
                "dpkg.log " + std::string(action) + " line without package, old and new version");
  if (has_control(line))
    return fail(Errc::invalid_argument, "dpkg.log line with a control character");
  auto at = parse_time(fields[0], fields[1]);
  if (!at) return fail(Errc::invalid_argument, "dpkg.log line with a bad time");
  DpkgLogEntry e;
  e.at = *at;
  e.action = std::string(action);
  std::string_view pkg = fields[3];
  if (auto colon = pkg.find(':'); colon != std::string_view::npos) {
    e.arch = std::string(pkg.substr(colon + 1));
    pkg = pkg.substr(0, colon);
  }
  if (pkg.empty()) return fail(Errc::invalid_argument, "dpkg.log line with an empty package name");
  e.package = std::string(pkg);
  e.old_version = version_or_none(fields[4]);
  e.new_version = version_or_none(fields[5]);
  if (action == "upgrade" && (e.old_version.empty() || e.new_version.empty()))
    return fail(Errc::invalid_argument, "dpkg.log upgrade of " + e.package + " without versions");
  if (action == "install" && e.new_version.empty())
    return fail(Errc::invalid_argument, "dpkg.log install of " + e.package + " without a version");
  if (action == "remove" && e.old_version.empty())
    return fail(Errc::invalid_argument, "dpkg.log remove of " + e.package + " without a version");
  return std::optional<DpkgLogEntry>(std::move(e));
}

std::optional<events::PatchEvent> to_patch_event(const DpkgLogEntry& entry,
                                                 std::string_view ecosystem) {
  events::PatchEvent e;
  e.at = entry.at;
  e.origin = events::Origin::dpkg_log;
  e.target = entry.package;
  e.arch = entry.arch;
  e.ecosystem = std::string(ecosystem);
  if (entry.action == "remove") {
    e.kind = events::Kind::remove;
    e.from_version = entry.old_version;
    return e;
  }
  e.from_version = entry.old_version;
  e.to_version = entry.new_version;
  if (entry.old_version == entry.new_version) return std::nullopt;  // a reinstall
  // dpkg writes "install" when the package was not installed, or only its conffiles remained
  // (then with the old version); both make the package present again.
  if (entry.action == "install") {
    e.kind = events::Kind::install;
    return e;
  }
  auto order = versions::dpkg_scheme().compare(entry.old_version, entry.new_version);
  if (!order) e.note = "version order unknown: " + order.error().message.substr(0, 200);
  e.kind = order && *order > 0 ? events::Kind::downgrade : events::Kind::upgrade;
  return e;
}

}  // namespace patchparty::dpkglog
