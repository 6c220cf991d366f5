#include "core/fleet/fleet_backlog.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

namespace patchparty::fleet {

namespace {

// project, ecosystem, package, target version, supplier (a third party's package has no target
// and is never merged with the distribution's build of the same name).
using TaskKey = std::tuple<std::string, std::string, std::string, std::string, std::string>;

int priority_rank(std::string_view p) {
  if (p == "now") return 0;
  if (p == "next") return 1;
  return 2;
}

std::optional<unsigned long> wave_number(std::string_view w) {
  unsigned long n = 0;
  auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), n);
  if (ec != std::errc() || end != w.data() + w.size() || w.empty()) return std::nullopt;
  return n;
}

// canary, numbered, named, none.
std::tuple<int, unsigned long, std::string_view> wave_key(std::string_view w) {
  if (w == "canary") return {0, 0, w};
  if (auto n = wave_number(w)) return {1, *n, w};
  if (!w.empty()) return {2, 0, w};
  return {3, 0, w};
}

double finite(double v) {
  return std::isfinite(v) ? v : 0.0;
}

void add_sorted(std::vector<std::string>& into, const std::vector<std::string>& more) {
  std::set<std::string> all(into.begin(), into.end());
  all.insert(more.begin(), more.end());
  into.assign(all.begin(), all.end());
}

bool host_before(const TaskHost& a, const TaskHost& b) {
  if (a.wave != b.wave) return wave_before(a.wave, b.wave);
  return std::tie(a.host, a.instance) < std::tie(b.host, b.instance);
}

bool task_before(const FleetTask& a, const FleetTask& b) {
  const bool ua = a.overdue || a.kev, ub = b.overdue || b.kev;
  if (ua != ub) return ua;
  if (a.max_risk != b.max_risk) return a.max_risk > b.max_risk;
  if (a.hosts.size() != b.hosts.size()) return a.hosts.size() > b.hosts.size();
  if (a.due != b.due) return a.due < b.due;
  return std::tie(a.package, a.ecosystem, a.project, a.target_version, a.supplier) <
         std::tie(b.package, b.ecosystem, b.project, b.target_version, b.supplier);
}

void add_vulnerabilities(std::map<std::string, FleetVulnerability>& by_id,
                         const std::vector<FleetVulnerability>& more) {
  for (const FleetVulnerability& v : more) {
    auto [it, fresh] = by_id.try_emplace(v.id, v);
    if (fresh) continue;
    // The same CVE seen by two hosts: its facts are the feed's, but a host may know more (its
    // EPSS or KEV data fresher), so keep the strongest of each.
    FleetVulnerability& have = it->second;
    add_sorted(have.aliases, v.aliases);
    have.severity = std::max(have.severity, v.severity);
    if (v.cvss && (!have.cvss || *v.cvss > *have.cvss)) have.cvss = v.cvss;
    have.kev = have.kev || v.kev;
    have.kev_ransomware = have.kev_ransomware || v.kev_ransomware;
    have.risk = std::max(have.risk, finite(v.risk));
  }
}

}  // namespace

bool wave_before(std::string_view a, std::string_view b) {
  return wave_key(a) < wave_key(b);
}

struct FleetMerger::State {
  FleetBacklog out;
  std::map<TaskKey, FleetTask> tasks;
  std::map<TaskKey, std::map<std::string, FleetVulnerability>> vulns;
};

FleetMerger::FleetMerger() : state_(std::make_unique<State>()) {}
FleetMerger::~FleetMerger() = default;

void FleetMerger::add(HostResult r) {
  FleetBacklog& out = state_->out;
  if (!r.backlog) {
    out.not_included.push_back({r.instance, r.url, r.error.empty() ? "no backlog" : r.error});
    return;
  }
  HostBacklog& b = *r.backlog;
  IncludedHost h;
  h.host = b.host.empty() ? r.instance : b.host;
  h.instance = r.instance;
  h.url = r.url;
  h.wave = b.wave;
  h.generated_at = b.generated_at;
  h.tasks = static_cast<std::int64_t>(b.tasks.size());
  h.watch = b.watch;
  h.suppressed = b.suppressed;
  h.restart = std::move(b.restart);
  out.summary.host_tasks += h.tasks;
  for (HostTask& t : b.tasks) {
    TaskKey key{t.project, t.ecosystem, t.package, t.target_version,
                t.target_version.empty() ? t.supplier : std::string()};
    auto [it, fresh] = state_->tasks.try_emplace(key);
    FleetTask& f = it->second;
    if (fresh) {
      f.project = t.project;
      f.ecosystem = t.ecosystem;
      f.package = t.package;
      f.target_version = t.target_version;
      f.origin = t.origin;
      f.supplier = t.supplier;
      f.distribution_fixed_version = t.distribution_fixed_version;
      f.priority = t.priority;
      f.first_seen = t.first_seen;
      f.due = t.due;
    }
    if (priority_rank(t.priority) < priority_rank(f.priority)) f.priority = t.priority;
    f.max_risk = std::max(f.max_risk, finite(t.max_risk));
    f.max_severity = std::max(f.max_severity, t.max_severity);
    f.kev = f.kev || t.kev;
    f.kev_ransomware = f.kev_ransomware || t.kev_ransomware;
    f.overdue = f.overdue || t.overdue;
    f.first_seen = std::min(f.first_seen, t.first_seen);
    f.due = std::min(f.due, t.due);
    if (f.distribution_fixed_version.empty())
      f.distribution_fixed_version = t.distribution_fixed_version;
    add_sorted(f.notes, t.notes);
    add_vulnerabilities(state_->vulns[key], t.vulnerabilities);
    TaskHost th;
    th.host = h.host;
    th.instance = r.instance;
    th.wave = b.wave;
    th.priority = std::move(t.priority);
    th.installed = std::move(t.installed);
    th.binaries = std::move(t.binaries);
    th.locations = std::move(t.locations);
    th.command = std::move(t.command);
    th.overdue = t.overdue;
    th.due = t.due;
    f.hosts.push_back(std::move(th));
  }
  out.hosts.push_back(std::move(h));
}

FleetBacklog FleetMerger::finish(std::int64_t now) {
  FleetBacklog out = std::move(state_->out);
  out.generated_at = now;
  for (auto& [key, f] : state_->tasks) {
    std::sort(f.hosts.begin(), f.hosts.end(), host_before);
    for (const TaskHost& h : f.hosts)
      if (h.installed != f.hosts.front().installed) f.versions_differ = true;
    for (auto& [id, v] : state_->vulns[key]) f.vulnerabilities.push_back(std::move(v));
    std::sort(f.vulnerabilities.begin(), f.vulnerabilities.end(),
              [](const FleetVulnerability& a, const FleetVulnerability& b) {
                if (a.risk != b.risk) return a.risk > b.risk;
                return a.id < b.id;
              });
    out.tasks.push_back(std::move(f));
  }
  state_->tasks.clear();
  state_->vulns.clear();
  std::sort(out.tasks.begin(), out.tasks.end(), task_before);
  std::sort(out.hosts.begin(), out.hosts.end(), [](const IncludedHost& a, const IncludedHost& b) {
    if (a.wave != b.wave) return wave_before(a.wave, b.wave);
    return std::tie(a.host, a.instance) < std::tie(b.host, b.instance);
  });
  std::sort(out.not_included.begin(), out.not_included.end(),
            [](const ExcludedHost& a, const ExcludedHost& b) {
              return std::tie(a.instance, a.url) < std::tie(b.instance, b.url);
            });

  FleetSummary& s = out.summary;
  s.tasks = static_cast<std::int64_t>(out.tasks.size());
  for (const FleetTask& t : out.tasks) {
    const int p = priority_rank(t.priority);
    s.tasks_now += p == 0;
    s.tasks_next += p == 1;
    s.tasks_later += p == 2;
    s.overdue += t.overdue;
    s.kev += t.kev;
  }
  s.hosts = static_cast<std::int64_t>(out.hosts.size());
  s.hosts_not_included = static_cast<std::int64_t>(out.not_included.size());
  for (const IncludedHost& h : out.hosts) {
    if (!h.restart) continue;
    s.hosts_to_reboot += h.restart->reboot_required || h.restart->kernel_outdated;
    s.hosts_with_restarts += !h.restart->units.empty();
  }
  return out;
}

FleetBacklog merge_backlogs(std::span<const HostResult> results, std::int64_t now) {
  FleetMerger merger;
  for (const HostResult& r : results) merger.add(r);
  return merger.finish(now);
}

std::string fleet_task_title(const FleetTask& t) {
  std::string scope = t.project.empty() ? t.ecosystem : "project " + t.project;
  const std::string on =
      std::to_string(t.hosts.size()) + (t.hosts.size() == 1 ? " host" : " hosts");
  if (t.target_version.empty())
    return "update " + t.package + " (" + scope + ") from " +
           (t.supplier.empty() ? std::string("its supplier") : t.supplier) + " on " + on;
  return "upgrade " + t.package + " (" + scope + ") to >= " + t.target_version + " on " + on;
}

}  // namespace patchparty::fleet
