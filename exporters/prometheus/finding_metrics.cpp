#include "exporters/prometheus/finding_metrics.h"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>

#include "exporters/prometheus/metric_labels.h"

namespace patchparty::exporters {

namespace {

// Open findings the team still has to act on: a suppressed finding is a decision already made
// and would otherwise keep a "findings > 0" alert firing forever.
bool actionable(const Finding& f) {
  return !f.resolved_at && !f.suppressed();
}

}  // namespace

FindingMetrics::FindingMetrics(prometheus::Registry& r)
    : findings_(r, prometheus::BuildGauge()
                       .Name("patchparty_findings")
                       .Help("Open, unsuppressed findings (installed package x vulnerability).")),
      oldest_open_age_(
          r, prometheus::BuildGauge()
                 .Name("patchparty_oldest_open_finding_age_seconds")
                 .Help("Age of the oldest open, unsuppressed finding of the severity, from when "
                       "it was first seen; absent when there is none.")),
      info_(
          r,
          prometheus::BuildGauge()
              .Name("patchparty_finding_info")
              .Help(
                  "Always 1: one series per open finding, when metrics.per_finding is on, highest "
                  "risk first up to metrics.per_finding_limit.")),
      info_dropped_(prometheus::BuildCounter()
                        .Name("patchparty_finding_info_dropped_total")
                        .Help("Findings left out of patchparty_finding_info by "
                              "metrics.per_finding_limit, added at each update.")
                        .Register(r)),
      dropped_(info_dropped_.Add({})) {}

void FindingMetrics::update(const std::vector<Finding>& findings, const config::Config& config,
                            std::int64_t now) {
  std::vector<const Finding*> open;
  for (const auto& f : findings)
    if (actionable(f)) open.push_back(&f);
  update_counts(open, now);
  update_info(std::move(open), config);
}

void FindingMetrics::update_counts(const std::vector<const Finding*>& open, std::int64_t now) {
  // Every severity x fix_available x kev combination is exposed, zeros included, so a query
  // over one of them never turns into "no data".
  std::map<prometheus::Labels, double> counts;
  for (auto s : kSeverities)
    for (bool fix : {false, true})
      for (bool kev : {false, true})
        counts[{{"severity", std::string(severity_name(s))},
                {"fix_available", yes_no(fix)},
                {"kev", yes_no(kev)}}] = 0;
  std::map<SeverityLevel, std::int64_t> oldest;
  for (const Finding* f : open) {
    counts[{{"severity", std::string(severity_name(f->severity))},
            {"fix_available", yes_no(f->fix_available())},
            {"kev", yes_no(f->kev)}}] += 1;
    auto [it, added] = oldest.try_emplace(f->severity, f->first_seen);
    if (!added) it->second = std::min(it->second, f->first_seen);
  }
  findings_.replace(counts);
  std::map<prometheus::Labels, double> ages;
  for (auto [severity, first_seen] : oldest)
    ages[{{"severity", std::string(severity_name(severity))}}] =
        static_cast<double>(std::max<std::int64_t>(0, now - first_seen));
  oldest_open_age_.replace(ages);
}

void FindingMetrics::update_info(std::vector<const Finding*> open, const config::Config& config) {
  // Riskiest first, so the cap drops the least urgent.
  std::map<prometheus::Labels, double> info;
  if (config.metrics.per_finding) {
    std::sort(open.begin(), open.end(), [](const Finding* a, const Finding* b) {
      if (a->risk != b->risk) return a->risk > b->risk;
      return std::tie(a->vulnerability, a->package.name, a->project, a->host) <
             std::tie(b->vulnerability, b->package.name, b->project, b->host);
    });
    const auto limit =
        static_cast<std::size_t>(std::max<std::int64_t>(0, config.metrics.per_finding_limit));
    for (std::size_t i = 0; i < open.size() && i < limit; ++i) {
      const Finding& f = *open[i];
      info[{{"host", f.host.empty() ? config.host_name : f.host},
            {"project", f.project},
            {"ecosystem", f.package.ecosystem},
            {"package", f.package.name},
            {"version", f.package.version},
            {"vulnerability", f.vulnerability},
            {"severity", std::string(severity_name(f.severity))},
            {"fixed_version", f.fixed_version},
            {"kev", yes_no(f.kev)}}] = 1;
    }
    if (open.size() > limit) dropped_.Increment(static_cast<double>(open.size() - limit));
  }
  info_.replace(info);
}

}  // namespace patchparty::exporters
