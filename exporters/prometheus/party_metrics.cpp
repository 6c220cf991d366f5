#include "exporters/prometheus/party_metrics.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "core/party/cron_schedule.h"
#include "exporters/backlog/backlog.h"
#include "exporters/prometheus/metric_labels.h"

namespace patchparty::exporters {

PartyMetrics::PartyMetrics(prometheus::Registry& r)
    : next_party_(r, prometheus::BuildGauge()
                         .Name("patchparty_next_party_timestamp_seconds")
                         .Help("When the next patch party starts (unix seconds).")),
      sla_seconds_(prometheus::BuildGauge()
                       .Name("patchparty_sla_seconds")
                       .Help("The remediation deadline (sla.*) for a finding of the severity, "
                             "counted from when it was first seen.")
                       .Register(r)),
      backlog_tasks_(r, prometheus::BuildGauge()
                            .Name("patchparty_backlog_tasks")
                            .Help("Upgrade tasks in the party backlog, by priority bucket.")),
      upgrade_pending_(r, prometheus::BuildGauge()
                              .Name("patchparty_upgrade_pending")
                              .Help("Backlog tasks per package to upgrade (host packages by "
                                    "source package), riskiest first up to "
                                    "metrics.upgrade_pending_limit; count by (package) over a "
                                    "fleet gives the packages pending on the most hosts.")),
      upgrade_pending_dropped_(prometheus::BuildGauge()
                                   .Name("patchparty_upgrade_pending_dropped")
                                   .Help("Packages with a backlog task left out of "
                                         "patchparty_upgrade_pending by "
                                         "metrics.upgrade_pending_limit.")
                                   .Register(r)
                                   .Add({})) {}

Result<> PartyMetrics::update(const std::vector<Finding>& findings, const config::Config& config,
                              std::int64_t now) {
  PP_TRY(schedule, party::CronSchedule::parse(config.party.schedule, config.party.time_zone));
  BacklogOptions options;
  options.host = config.host_name;
  options.now = now;
  options.last_party = schedule.last_at_or_before(now);
  options.next_party = schedule.next_after(now);
  std::map<prometheus::Labels, double> next;
  if (options.next_party) next[{}] = static_cast<double>(*options.next_party);
  next_party_.replace(next);
  for (auto s : kSeverities)
    sla_seconds_.Add({{"severity", std::string(severity_name(s))}})
        .Set(static_cast<double>(sla_seconds(config.sla, s)));
  const Backlog backlog = build_backlog(findings, config.sla, options);
  std::map<prometheus::Labels, double> tasks;
  for (auto p : kPriorities) tasks[{{"priority", std::string(priority_name(p))}}] = 0;
  for (const auto& t : backlog.tasks)
    tasks[{{"priority", std::string(priority_name(t.priority))}}] += 1;
  backlog_tasks_.replace(tasks);
  // Tasks come riskiest first; a package's first task decides its place.
  std::map<prometheus::Labels, double> pending;
  std::set<prometheus::Labels> dropped;
  const auto limit =
      static_cast<std::size_t>(std::max<std::int64_t>(0, config.metrics.upgrade_pending_limit));
  for (const auto& t : backlog.tasks) {
    prometheus::Labels labels{{"ecosystem", t.ecosystem}, {"package", t.package}};
    if (auto it = pending.find(labels); it != pending.end()) {
      it->second += 1;
    } else if (pending.size() < limit) {
      pending.emplace(std::move(labels), 1);
    } else {
      dropped.insert(std::move(labels));
    }
  }
  upgrade_pending_.replace(pending);
  upgrade_pending_dropped_.Set(static_cast<double>(dropped.size()));
  return {};
}

}  // namespace patchparty::exporters
