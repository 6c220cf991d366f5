#include "core/fleet/fleet_status.h"

#include <algorithm>
#include <tuple>

namespace patchparty::fleet {

namespace {

std::string age(std::int64_t seconds) {
  if (seconds >= 86400) return std::to_string(seconds / 86400) + "d";
  if (seconds >= 3600) return std::to_string(seconds / 3600) + "h";
  return std::to_string(seconds / 60) + "m";
}

}  // namespace

HostStatus host_status(std::string instance, std::string url, const HostFindings& findings,
                       std::span<const FeedSuccess> feeds, std::string wave, std::int64_t now,
                       std::int64_t stale_after) {
  HostStatus s;
  s.instance = std::move(instance);
  s.url = std::move(url);
  s.reachable = true;
  s.host = findings.host;
  s.version = findings.version;
  s.wave = std::move(wave);
  s.last_scan = findings.scanned_at;
  for (const FleetFinding& f : findings.findings) {
    ++s.findings[static_cast<std::size_t>(f.severity)];
    s.kev += f.kev;
  }
  bool first = true;
  for (const FeedSuccess& f : feeds) {
    if (first || f.last_success_at < s.oldest_feed_success) {
      s.oldest_feed = f.feed;
      s.oldest_feed_success = f.last_success_at;
      first = false;
    }
  }
  if (s.last_scan <= 0)
    s.stale.push_back("no scan yet");
  else if (now - s.last_scan > stale_after)
    s.stale.push_back("last scan " + age(now - s.last_scan) + " ago");
  if (!first && s.oldest_feed_success <= 0)
    s.stale.push_back("feed " + s.oldest_feed + " never succeeded");
  else if (!first && now - s.oldest_feed_success > stale_after)
    s.stale.push_back("feed " + s.oldest_feed + " last succeeded " +
                      age(now - s.oldest_feed_success) + " ago");
  return s;
}

void sort_fleet_findings(std::vector<FleetFinding>& findings) {
  std::sort(findings.begin(), findings.end(), [](const FleetFinding& a, const FleetFinding& b) {
    if (a.risk != b.risk) return a.risk > b.risk;
    return std::tie(a.host, a.instance, a.project, a.package, a.vulnerability) <
           std::tie(b.host, b.instance, b.project, b.package, b.vulnerability);
  });
}

}  // namespace patchparty::fleet
