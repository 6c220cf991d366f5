#include "exporters/backlog/backlog.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "core/report/report_format.h"
#include "core/versions/version_scheme.h"
#include "exporters/backlog/upgrade_command.h"

namespace patchparty::exporters {

namespace {

// host, project, ecosystem, package, and the supplier of a third party's package: its findings
// are not one task with the distribution's build of the same package.
using GroupKey = std::tuple<std::string, std::string, std::string, std::string, std::string>;
using Group = std::vector<const Finding*>;

std::int64_t finding_due(const Finding& f, const config::SlaConfig& sla) {
  std::int64_t due = f.first_seen + sla_seconds(sla, f.severity);
  if (f.kev) {
    // CISA's date means "by the end of that day"; counted in UTC like every date we print.
    if (auto day = parse_date(f.kev_due_date)) due = std::min(due, *day + 86399);
  }
  return due;
}

// Ranking compares risks; a NaN from a broken score would make the order undefined.
double risk_of(const Finding& f) {
  return std::isfinite(f.risk) ? f.risk : 0.0;
}

bool is_http_url(std::string_view url) {
  return url.starts_with("https://") || url.starts_with("http://");
}

// A reference that names the vulnerability is the better link; any http(s) one will do.
std::string pick_url(const Finding& f) {
  std::string any;
  for (const auto& url : f.references) {
    if (!is_http_url(url)) continue;
    if (url.find(f.vulnerability) != std::string::npos) return url;
    if (any.empty()) any = url;
  }
  return any;
}

void merge_sorted(std::vector<std::string>& into, const std::vector<std::string>& more) {
  std::set<std::string> all(into.begin(), into.end());
  all.insert(more.begin(), more.end());
  into.assign(all.begin(), all.end());
}

// The higher of the fixed versions in the ecosystem's order. A scheme that cannot parse one of
// them leaves no trustworthy order at all, so the whole set is then ordered as plain text (and
// the task says so) rather than half by the scheme and half by text.
std::string highest_version(std::string_view ecosystem, const std::vector<std::string>& versions,
                            bool& as_text) {
  as_text = false;
  if (versions.empty()) return {};
  auto scheme = versions::scheme_for_ecosystem(ecosystem);
  if (scheme) {
    std::string best = versions.front();
    bool ok = true;
    for (std::size_t i = 1; i < versions.size() && ok; ++i) {
      auto c = (*scheme)->compare(versions[i], best);
      if (!c) {
        ok = false;
      } else if (*c > 0) {
        best = versions[i];
      }
    }
    if (ok) return best;
  }
  as_text = true;
  return *std::max_element(versions.begin(), versions.end());
}

std::string expired_note(const SuppressionMatch& s) {
  std::string note = "suppression expired";
  if (s.expires) note += " on " + format_date(*s.expires);
  if (!s.rule.empty()) note += " (" + s.rule + ")";
  return note;
}

Priority priority_of(const BacklogFacts& f) {
  if (f.kev || f.overdue || f.max_severity == SeverityLevel::critical) return Priority::now;
  if (f.max_severity == SeverityLevel::high) return Priority::next;
  return Priority::later;
}

// Everything a task and a watch item share, from findings already sorted by package identity.
void fill_facts(BacklogFacts& out, const GroupKey& key, const Group& group,
                const config::SlaConfig& sla, const BacklogOptions& options) {
  std::tie(out.host, out.project, out.ecosystem, out.package, out.supplier) = key;
  out.third_party = !out.supplier.empty();
  std::set<std::string> binaries, installed, locations, notes;
  std::map<std::string, BacklogVulnerability> vulns;
  bool first = true;
  for (const Finding* f : group) {
    binaries.insert(f->package.name);
    installed.insert(f->package.version);
    if (!f->package.location.empty()) locations.insert(f->package.location);
    if (f->suppression && f->suppression->expired) notes.insert(expired_note(*f->suppression));
    if (f->package.third_party && !f->package.supplier_newest.empty()) {
      bool as_text = false;
      out.supplier_newest =
          out.supplier_newest.empty()
              ? f->package.supplier_newest
              : highest_version(out.ecosystem, {out.supplier_newest, f->package.supplier_newest},
                                as_text);
    }

    auto [it, inserted] = vulns.try_emplace(f->vulnerability);
    BacklogVulnerability& v = it->second;
    if (inserted) {
      v.id = f->vulnerability;
      v.summary = f->summary;
      v.url = pick_url(*f);
      v.fix_status = f->fix_status;
    }
    merge_sorted(v.aliases, f->aliases);
    merge_sorted(v.advisories, f->advisories);
    if (v.summary.empty()) v.summary = f->summary;
    if (v.url.empty()) v.url = pick_url(*f);
    v.severity = std::max(v.severity, f->severity);
    if (f->cvss && (!v.cvss || *f->cvss > *v.cvss)) v.cvss = f->cvss;
    v.kev = v.kev || f->kev;
    v.kev_ransomware = v.kev_ransomware || f->kev_ransomware;
    v.risk = std::max(v.risk, risk_of(*f));
    if (!f->fixed_version.empty()) {
      bool as_text = false;
      v.fixed_version =
          v.fixed_version.empty()
              ? f->fixed_version
              : highest_version(out.ecosystem, {v.fixed_version, f->fixed_version}, as_text);
    }

    out.max_risk = first ? risk_of(*f) : std::max(out.max_risk, risk_of(*f));
    out.max_severity = std::max(out.max_severity, f->severity);
    out.kev = out.kev || f->kev;
    out.kev_ransomware = out.kev_ransomware || f->kev_ransomware;
    const std::int64_t due = finding_due(*f, sla);
    out.first_seen = first ? f->first_seen : std::min(out.first_seen, f->first_seen);
    out.due = first ? due : std::min(out.due, due);
    // A suppression that lapsed after the last party puts the finding in front of the team for
    // the first time since it was suppressed, so it counts as new as well.
    const bool lapsed_since = f->suppression && f->suppression->expired &&
                              f->suppression->expires && options.last_party &&
                              *f->suppression->expires > *options.last_party;
    if (!options.last_party || f->first_seen > *options.last_party || lapsed_since)
      out.new_since_last_party = true;
    first = false;
  }
  out.binaries.assign(binaries.begin(), binaries.end());
  out.installed.assign(installed.begin(), installed.end());
  out.locations.assign(locations.begin(), locations.end());
  if (out.third_party) {
    std::string note = "installed from " + out.supplier +
                       ", not from the distribution: the distribution's fixed versions are for "
                       "its own build; check " +
                       out.supplier + "'s advisories";
    if (!out.supplier_newest.empty())
      note += " (" + out.supplier + " offers " + out.supplier_newest + ")";
    notes.insert(std::move(note));
  }
  out.notes.assign(notes.begin(), notes.end());
  for (auto& [id, v] : vulns) out.vulnerabilities.push_back(std::move(v));
  std::sort(out.vulnerabilities.begin(), out.vulnerabilities.end(),
            [](const BacklogVulnerability& a, const BacklogVulnerability& b) {
              if (a.risk != b.risk) return a.risk > b.risk;
              return a.id < b.id;
            });
  out.overdue = out.due < options.now;
  out.priority = priority_of(out);
}

bool same_place_less(const BacklogFacts& a, const BacklogFacts& b) {
  return std::tie(a.package, a.host, a.project, a.ecosystem, a.supplier) <
         std::tie(b.package, b.host, b.project, b.ecosystem, b.supplier);
}

// Party order: what is overdue or known exploited first, then the riskiest, then the soonest
// due, then by name so equal tasks never swap places between two exports.
bool task_before(const BacklogFacts& a, const BacklogFacts& b) {
  const bool ua = a.overdue || a.kev, ub = b.overdue || b.kev;
  if (ua != ub) return ua;
  if (a.max_risk != b.max_risk) return a.max_risk > b.max_risk;
  if (a.due != b.due) return a.due < b.due;
  return same_place_less(a, b);
}

bool watch_before(const BacklogFacts& a, const BacklogFacts& b) {
  if (a.max_risk != b.max_risk) return a.max_risk > b.max_risk;
  if (a.due != b.due) return a.due < b.due;
  return same_place_less(a, b);
}

bool has_fix(const Finding& f) {
  return f.fix_available() && f.fix_status == FixStatus::fixed;
}

}  // namespace

std::int64_t sla_seconds(const config::SlaConfig& sla, SeverityLevel s) {
  config::Duration d = sla.unknown;
  switch (s) {
    case SeverityLevel::critical:
      d = sla.critical;
      break;
    case SeverityLevel::high:
      d = sla.high;
      break;
    case SeverityLevel::medium:
      d = sla.medium;
      break;
    case SeverityLevel::low:
      d = sla.low;
      break;
    case SeverityLevel::unknown:
      break;
  }
  return std::chrono::duration_cast<std::chrono::seconds>(d).count();
}

std::string_view priority_name(Priority p) {
  switch (p) {
    case Priority::now:
      return "now";
    case Priority::next:
      return "next";
    case Priority::later:
      return "later";
  }
  return "later";
}

bool is_distro_ecosystem(std::string_view ecosystem) {
  auto scheme = versions::scheme_for_ecosystem(ecosystem);
  if (!scheme) return false;
  const std::string_view name = (*scheme)->name();
  return name == "dpkg" || name == "rpm" || name == "apk";
}

std::string task_scope(const BacklogFacts& facts) {
  std::string scope;
  if (!facts.project.empty()) scope = "project " + facts.project + " / ";
  return scope + "host " + facts.host;
}

std::string_view facts_origin(const BacklogFacts& facts) {
  if (!facts.project.empty()) return "";
  return facts.third_party ? "third-party" : "distribution";
}

std::string task_title(const BacklogTask& task) {
  if (task.third_party) {
    std::string title = "update " + task.package + " (" + task_scope(task) + ") from " +
                        task.supplier + ", its supplier";
    if (!task.distribution_fixed_version.empty())
      title +=
          " (the distribution's fix " + task.distribution_fixed_version + " is for its own build)";
    return title;
  }
  return "upgrade " + task.package + " (" + task_scope(task) + ") to >= " + task.target_version;
}

Backlog build_backlog(std::span<const Finding> findings, const config::SlaConfig& sla,
                      const BacklogOptions& options) {
  Backlog out;
  out.host = options.host;
  out.wave = options.wave;
  out.generated_at = options.now;
  out.last_party = options.last_party;
  out.next_party = options.next_party;
  out.since_last_party = options.since_last_party;

  std::vector<const Finding*> open;
  for (const Finding& f : findings) {
    if (!f.resolved_at) open.push_back(&f);
  }
  // A finding without a host (a single-host store) belongs to the host the backlog is for.
  auto host_of = [&](const Finding& f) -> const std::string& {
    return f.host.empty() ? options.host : f.host;
  };
  // Grouped findings are visited in package order, so first-seen summaries and links do not
  // depend on the order the store returned them in.
  std::sort(open.begin(), open.end(), [](const Finding* a, const Finding* b) {
    return std::tie(a->host, a->project, a->package.ecosystem, a->package.name, a->package.version,
                    a->package.location, a->vulnerability) <
           std::tie(b->host, b->project, b->package.ecosystem, b->package.name, b->package.version,
                    b->package.location, b->vulnerability);
  });
  out.summary.findings = open.size();

  std::map<GroupKey, Group> task_groups, watch_groups;
  for (const Finding* f : open) {
    if (f->suppressed()) {
      SuppressedEntry e;
      e.host = host_of(*f);
      e.project = f->project;
      e.ecosystem = f->package.ecosystem;
      e.package = f->package.name;
      e.installed = f->package.version;
      e.vulnerability = f->vulnerability;
      e.severity = f->severity;
      e.risk = f->risk;
      e.kev = f->kev;
      e.rule = f->suppression->rule;
      e.reason = f->suppression->reason;
      e.vex_status = f->suppression->vex_status;
      e.vex_justification = f->suppression->vex_justification;
      e.expires = f->suppression->expires;
      e.first_seen = f->first_seen;
      e.finding = *f;
      e.finding.host = e.host;
      if (options.since_last_party && options.last_party && f->first_seen <= *options.last_party)
        continue;
      out.suppressed.push_back(std::move(e));
      continue;
    }
    std::string package = f->package.name;
    if (is_distro_ecosystem(f->package.ecosystem) && !f->package.source_name.empty())
      package = f->package.source_name;
    GroupKey key{host_of(*f), f->project, f->package.ecosystem, std::move(package),
                 f->package.third_party ? f->package.supplier : std::string()};
    (has_fix(*f) ? task_groups : watch_groups)[std::move(key)].push_back(f);
  }

  for (const auto& [key, group] : task_groups) {
    BacklogTask t;
    fill_facts(t, key, group, sla, options);
    std::vector<std::string> fixed;
    for (const Finding* f : group) fixed.push_back(f->fixed_version);
    std::sort(fixed.begin(), fixed.end());
    fixed.erase(std::unique(fixed.begin(), fixed.end()), fixed.end());
    t.target_version = highest_version(t.ecosystem, fixed, t.versions_compared_as_text);
    if (t.third_party) t.distribution_fixed_version = std::exchange(t.target_version, {});
    const auto dir = options.project_dirs.find(t.project);
    t.command = upgrade_command(
        t, dir == options.project_dirs.end() ? std::string_view() : std::string_view(dir->second));
    out.tasks.push_back(std::move(t));
  }
  for (const auto& [key, group] : watch_groups) {
    WatchItem w;
    fill_facts(w, key, group, sla, options);
    std::set<FixStatus> statuses;
    for (const Finding* f : group) statuses.insert(f->fix_status);
    w.fix_statuses.assign(statuses.begin(), statuses.end());
    out.watch.push_back(std::move(w));
  }

  if (options.since_last_party) {
    std::erase_if(out.tasks, [](const BacklogTask& t) { return !t.new_since_last_party; });
    std::erase_if(out.watch, [](const WatchItem& w) { return !w.new_since_last_party; });
  }
  std::sort(out.tasks.begin(), out.tasks.end(), task_before);
  std::sort(out.watch.begin(), out.watch.end(), watch_before);
  std::sort(
      out.suppressed.begin(), out.suppressed.end(),
      [](const SuppressedEntry& a, const SuppressedEntry& b) {
        return std::tie(a.host, a.project, a.ecosystem, a.package, a.installed, a.vulnerability) <
               std::tie(b.host, b.project, b.ecosystem, b.package, b.installed, b.vulnerability);
      });

  BacklogSummary& s = out.summary;
  s.tasks = out.tasks.size();
  for (const BacklogTask& t : out.tasks) {
    if (t.priority == Priority::now) ++s.tasks_now;
    if (t.priority == Priority::next) ++s.tasks_next;
    if (t.priority == Priority::later) ++s.tasks_later;
    if (t.overdue) ++s.overdue;
    if (t.kev) ++s.kev;
    if (t.new_since_last_party) ++s.new_since_last_party;
  }
  s.watch = out.watch.size();
  s.suppressed = out.suppressed.size();
  return out;
}

}  // namespace patchparty::exporters
