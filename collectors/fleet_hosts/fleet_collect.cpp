#include "collectors/fleet_hosts/fleet_collect.h"

#include <mutex>

#include "collectors/fleet_hosts/host_documents.h"
#include "core/base/bounded_file.h"

namespace patchparty::fleet {

namespace {

constexpr std::uint64_t kMaxFileSdBytes = 16u << 20;

std::string reason(const Error& e) {
  return e.message;
}

}  // namespace

Result<std::vector<FleetTarget>> discover_targets(const FleetDiscovery& where,
                                                  const FleetClientOptions& options) {
  std::vector<FleetTarget> all;
  for (const std::string& url : where.hosts) {
    auto t = target_from_url(url);
    if (!t) return tl::unexpected(t.error());
    all.push_back(std::move(*t));
  }
  if (!where.file_sd.empty()) {
    auto text = read_bounded_file(where.file_sd, kMaxFileSdBytes);
    if (!text) return fail(text.error().code, "file_sd: " + text.error().message);
    auto targets = parse_file_sd(*text);
    if (!targets)
      return fail(targets.error().code, where.file_sd.string() + ": " + targets.error().message);
    all.insert(all.end(), targets->begin(), targets->end());
  }
  if (!where.prometheus.empty()) {
    auto base = target_from_url(where.prometheus);
    if (!base) return fail(Errc::invalid_argument, "prometheus: " + base.error().message);
    FleetClientOptions ask = options;
    ask.token.clear();  // the hosts' token is not Prometheus'
    auto body = fleet_get(base->url + "/api/v1/targets?state=active", ask);
    if (!body)
      return fail(Errc::unavailable, "prometheus " + base->url + ": " + body.error().message);
    auto targets = parse_prometheus_targets(*body, where.job);
    if (!targets)
      return fail(targets.error().code, "prometheus " + base->url + ": " + targets.error().message);
    all.insert(all.end(), targets->begin(), targets->end());
  }
  return distinct_targets(std::move(all));
}

FleetBacklog fetch_and_merge_backlogs(const std::vector<FleetTarget>& targets,
                                      const FleetClientOptions& options, std::int64_t now) {
  FleetMerger merger;
  std::mutex mu;
  for_each_host(targets, options, [&](std::size_t, const FleetTarget& t) {
    HostResult r;
    r.instance = t.instance;
    r.url = t.url;
    // Parsed on the thread that fetched it; only the parsed form outlives this call.
    auto body = fleet_get(t.url + "/api/v1/backlog?format=json", options);
    if (!body) {
      r.error = reason(body.error());
    } else if (auto backlog = parse_host_backlog(*body); !backlog) {
      r.error = reason(backlog.error());
    } else {
      r.backlog = std::move(*backlog);
    }
    std::lock_guard lock(mu);
    merger.add(std::move(r));
  });
  return merger.finish(now);
}

std::vector<HostFindingsResult> fetch_findings(const std::vector<FleetTarget>& targets,
                                               const FleetClientOptions& options) {
  std::vector<HostFindingsResult> out;
  out.reserve(targets.size());
  for (const FleetTarget& t : targets) out.push_back({t, fail(Errc::internal, "not asked")});
  for_each_host(targets, options, [&](std::size_t i, const FleetTarget& t) {
    auto body = fleet_get(t.url + "/api/v1/findings", options);
    if (!body) {
      out[i].findings = tl::unexpected(body.error());
      return;
    }
    out[i].findings = parse_host_findings(*body);
    if (out[i].findings)
      for (FleetFinding& f : out[i].findings->findings) f.instance = t.instance;
  });
  return out;
}

std::vector<HostStatus> fetch_statuses(const std::vector<FleetTarget>& targets,
                                       const FleetClientOptions& options, std::int64_t now,
                                       std::int64_t stale_after) {
  std::vector<HostStatus> out(targets.size());
  for_each_host(targets, options, [&](std::size_t i, const FleetTarget& t) {
    HostStatus& s = out[i];
    s.instance = t.instance;
    s.url = t.url;
    auto findings_body = fleet_get(t.url + "/api/v1/findings", options);
    Result<HostFindings> findings =
        findings_body ? parse_host_findings(*findings_body) : tl::unexpected(findings_body.error());
    if (!findings) {
      s.error = reason(findings.error());
      return;
    }
    auto feeds_body = fleet_get(t.url + "/api/v1/feeds", options);
    Result<std::vector<FeedSuccess>> feeds =
        feeds_body ? parse_host_feeds(*feeds_body) : tl::unexpected(feeds_body.error());
    if (!feeds) {
      s.error = "feeds: " + reason(feeds.error());
      return;
    }
    // The wave is the host's own setting, served in its backlog.
    std::string wave;
    if (auto backlog_body = fleet_get(t.url + "/api/v1/backlog?format=json", options)) {
      if (auto backlog = parse_host_backlog(*backlog_body)) wave = backlog->wave;
    }
    s = host_status(t.instance, t.url, *findings, *feeds, wave, now, stale_after);
  });
  return out;
}

}  // namespace patchparty::fleet
