#include "core/correlate/correlator.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "core/correlate/affected_match.h"
#include "core/correlate/alias_sets.h"
#include "core/correlate/module_streams.h"
#include "core/model/ecosystem_scope.h"
#include "core/model/package_name.h"
#include "core/record/osv_record.h"
#include "core/store/advisory_lookup.h"
#include "core/versions/version_scheme.h"

namespace patchparty::correlate {

namespace {

std::string_view base_of(std::string_view ecosystem) {
  return ecosystem_base(ecosystem);
}

bool is_distribution(std::string_view base) {
  return base == "Debian" || base == "Ubuntu" || base == "Alpine";
}

bool uses_rpm_versions(std::string_view ecosystem) {
  auto scheme = versions::scheme_for_ecosystem(ecosystem);
  return scheme && (*scheme)->name() == "rpm";
}

// A deferred read transaction: one snapshot for every lookup of a correlation run.
class ReadSnapshot {
 public:
  static Result<ReadSnapshot> begin(store::Database& db) {
    if (db.in_transaction()) return ReadSnapshot(nullptr);
    PP_CHECK(db.exec("BEGIN"));
    return ReadSnapshot(&db);
  }
  ReadSnapshot(ReadSnapshot&& o) noexcept : db_(std::exchange(o.db_, nullptr)) {}
  ReadSnapshot& operator=(ReadSnapshot&&) = delete;
  ~ReadSnapshot() {
    if (db_) (void)db_->exec("ROLLBACK");  // nothing was written; ending the read is all
  }

 private:
  explicit ReadSnapshot(store::Database* db) : db_(db) {}
  store::Database* db_;
};

// The CVEs a distribution's advisory fixes, where its family lists them: Red Hat and Ubuntu in
// `upstream`, AlmaLinux and Rocky Linux in `related`; SUSE in either. Such a record is a
// bundle (an RHSA, an ALSA, a USN), and each CVE is a finding of its own, so KEV, EPSS,
// suppressions and VEX, all keyed by CVE, apply. Empty for everything else, including a record
// that is itself about one CVE.
std::vector<std::string> fixed_cves(const Advisory& a, std::string_view base) {
  std::vector<std::string> out;
  if (a.id.starts_with("CVE-")) return out;
  const bool upstream =
      base == "Red Hat" || base == "Ubuntu" || base == "SUSE" || base == "openSUSE";
  const bool related =
      base == "AlmaLinux" || base == "Rocky Linux" || base == "SUSE" || base == "openSUSE";
  auto take = [&](const std::vector<std::string>& ids) {
    for (const auto& id : ids)
      if (id.starts_with("CVE-") && std::find(out.begin(), out.end(), id) == out.end())
        out.push_back(id);
  };
  if (upstream) take(a.upstream);
  if (related) take(a.related);
  return out;
}

// One advisory entry that matched one package.
struct Hit {
  const Advisory* advisory;
  FixStatus fix_status;
  std::string fixed_version;
};

SeverityLevel label_severity(const Advisory& a) {
  SeverityLevel best = SeverityLevel::unknown;
  for (const auto& s : a.severity) {
    if (s.base_score) continue;
    best = std::max(best, severity_from_label(s.score));
  }
  return best;
}

// Statuses that say more than "no fix" rank above plain unfixed when records disagree.
int status_rank(FixStatus s) {
  switch (s) {
    case FixStatus::end_of_life:
      return 6;
    case FixStatus::wont_fix:
    case FixStatus::ignored:
      return 5;
    case FixStatus::no_dsa:
      return 4;
    case FixStatus::postponed:
      return 3;
    case FixStatus::undetermined:
      return 2;
    case FixStatus::unfixed:
      return 1;
    case FixStatus::fixed:
      return 0;
  }
  return 0;
}

class Run {
 public:
  Run(store::AdvisoryLookup lookup, const std::string& host)
      : lookup_(std::move(lookup)), host_(host) {}

  Result<> package(const Package& p, Correlation& out) {
    ++out.packages;
    const std::string_view base = base_of(p.ecosystem);
    const std::vector<std::string> names = advisory_lookup_names(p);
    const bool rpm_family = uses_rpm_versions(p.ecosystem);
    const std::string_view version = compared_version(p);
    // Binary packages of one source at one version (and nested copies of one npm package) get
    // the same verdicts: evaluate once.
    std::string verdict_key = p.ecosystem + '\0' + std::string(version) + '\0' + p.module_stream;
    for (const auto& n : names) verdict_key += '\0' + n;
    if (auto it = verdicts_.find(verdict_key); it != verdicts_.end()) {
      out.advisories_checked += it->second.checked;
      for (const auto& problem : it->second.problems) {
        out.problems.push_back(problem);
        out.problems.back().package = p.name;
        out.problems.back().version = p.version;
      }
      if (!it->second.hits.empty()) PP_CHECK(merge(p, it->second.hits, out));
      return {};
    }
    Verdicts& verdicts = verdicts_[verdict_key];
    std::vector<Hit>& hits = verdicts.hits;
    std::set<const Advisory*> seen;  // a record naming both the binary and its source
    for (const auto& name : names) {
      PP_TRY(advisories, advisories_for(base, name));
      for (const Advisory& a : *advisories) {
        if (a.withdrawn || !seen.insert(&a).second) continue;
        for (const Affected& af : a.affected) {
          if (!ecosystem_applies(af.ecosystem, p.ecosystem) ||
              std::none_of(names.begin(), names.end(), [&](const std::string& n) {
                return same_package_name(base, af.name, n);
              }))
            continue;
          ++out.advisories_checked;
          ++verdicts.checked;
          if (rpm_family) {
            if (auto why = stream_mismatch(p, version, a, af)) {
              verdicts.problems.push_back(Problem{p.ecosystem, p.name, p.version, a.id, *why});
              out.problems.push_back(verdicts.problems.back());
              continue;
            }
          }
          auto verdict = evaluator_.evaluate(af, p.ecosystem, version);
          if (!verdict) {
            verdicts.problems.push_back(
                Problem{p.ecosystem, p.name, p.version, a.id, verdict.error().message});
            out.problems.push_back(verdicts.problems.back());
            continue;
          }
          if (!verdict->affected) continue;
          FixStatus status = !verdict->fixed_version.empty()     ? FixStatus::fixed
                             : af.fix_status == FixStatus::fixed ? FixStatus::unfixed
                                                                 : af.fix_status;
          hits.push_back(Hit{&a, status, std::move(verdict->fixed_version)});
        }
      }
    }
    if (!hits.empty()) PP_CHECK(merge(p, hits, out));
    return {};
  }

 private:
  // Parsed advisories per (ecosystem base, name): binary packages of one source share them.
  Result<const std::vector<Advisory>*> advisories_for(std::string_view base,
                                                      const std::string& name) {
    std::string key = std::string(base) + '\0' + name;
    if (auto it = cache_.find(key); it != cache_.end()) return &it->second;
    PP_TRY(records, lookup_.records(base, name));
    std::vector<Advisory> parsed;
    parsed.reserve(records.size());
    for (const auto& json : records) {
      auto a = feeds::parse_osv_record(json);
      // The store only holds records that parsed when they were ingested.
      if (!a)
        return fail(Errc::data_loss, "stored advisory record does not parse: " + a.error().message);
      parsed.push_back(std::move(*a));
    }
    return &cache_.emplace(std::move(key), std::move(parsed)).first->second;
  }

  Result<> merge(const Package& p, const std::vector<Hit>& hits, Correlation& out) {
    // What each hit is about: its record, or each upstream CVE of a distribution's advisory.
    // The advisory's id is not linked into the CVEs' sets, or it would join them all into one.
    AliasSets sets;
    std::vector<std::pair<std::string, const Hit*>> about;
    const std::string_view base = base_of(p.ecosystem);
    for (const Hit& h : hits) {
      const std::vector<std::string> cves = fixed_cves(*h.advisory, base);
      if (cves.empty()) {
        sets.add(h.advisory->id, h.advisory->aliases);
        about.emplace_back(h.advisory->id, &h);
      }
      for (const auto& cve : cves) {
        sets.add(cve, {});
        about.emplace_back(cve, &h);
      }
    }
    std::map<std::string, std::vector<const Hit*>> by_set;
    for (const auto& [id, hit] : about) {
      auto& group = by_set[sets.primary(id)];
      if (std::find(group.begin(), group.end(), hit) == group.end()) group.push_back(hit);
    }
    PP_TRY(scheme, versions::scheme_for_ecosystem(p.ecosystem));
    for (auto& [primary, group] : by_set) {
      Finding f;
      f.host = host_;
      f.project = p.project;
      f.package = p;
      f.vulnerability = primary;
      for (auto& id : sets.members(primary))
        if (id != primary) f.aliases.push_back(std::move(id));
      std::optional<FixStatus> unfixed_status;
      for (const Hit* h : group) {
        const Advisory& a = *h->advisory;
        f.advisories.push_back(a.id);
        if (a.id != primary) f.aliases.push_back(a.id);
        f.feeds.push_back(a.feed);
        if (!h->fixed_version.empty()) {
          // Records disagreeing on the fix: the higher version is the one that fixes them all.
          bool higher = f.fixed_version.empty();
          if (!higher) {
            auto c = scheme->compare(h->fixed_version, f.fixed_version);
            higher = c && *c > 0;
          }
          if (higher) f.fixed_version = h->fixed_version;
        } else if (!unfixed_status || status_rank(h->fix_status) > status_rank(*unfixed_status)) {
          unfixed_status = h->fix_status;
        }
        for (const auto& s : a.severity) {
          if (s.base_score && (!f.cvss || *s.base_score > *f.cvss)) {
            f.cvss = s.base_score;
            f.cvss_vector = s.score;
          }
        }
        f.severity = std::max(f.severity, label_severity(a));
        if (f.summary.empty()) f.summary = a.summary;
        for (const auto& r : a.references) f.references.push_back(r.url);
      }
      // A fix from one record settles it: the upgrade exists even if another feed lags.
      f.fix_status =
          !f.fixed_version.empty() ? FixStatus::fixed : unfixed_status.value_or(FixStatus::unfixed);
      PP_CHECK(enrich(f));
      if (f.cvss) f.severity = std::max(f.severity, severity_from_cvss(*f.cvss));
      normalize(f.aliases);
      normalize(f.advisories);
      normalize(f.feeds);
      normalize(f.references);
      out.findings.push_back(std::move(f));
    }
    return {};
  }

  struct Enrichment {
    std::optional<KevEntry> kev;
    std::optional<EpssScore> epss;
    std::optional<CvssMetric> score;
  };

  // Per CVE, once per run: one CVE is usually found in many packages.
  Result<const Enrichment*> enrichment(const std::string& cve) {
    if (auto it = enrichment_.find(cve); it != enrichment_.end()) return &it->second;
    PP_TRY(kev, lookup_.kev(cve));
    PP_TRY(epss, lookup_.epss(cve));
    PP_TRY(score, lookup_.preferred_score(cve));
    return &enrichment_.emplace(cve, Enrichment{std::move(kev), std::move(epss), std::move(score)})
                .first->second;
  }

  Result<> enrich(Finding& f) {
    // A record's own score wins over NVD's: its publisher scored the package as it ships it,
    // while NVD scores the upstream product (docs/risk-and-backlog.md).
    const bool scored_by_records = f.cvss.has_value();
    auto consider = [&](const std::string& id) -> Result<> {
      if (!id.starts_with("CVE-")) return {};
      PP_TRY(e, enrichment(id));
      const auto& kev = e->kev;
      const auto& epss = e->epss;
      if (kev) {
        f.kev = true;
        f.kev_ransomware = f.kev_ransomware || kev->known_ransomware;
        if (f.kev_due_date.empty() || kev->due_date < f.kev_due_date)
          f.kev_due_date = kev->due_date;
      }
      if (epss && (!f.epss || epss->probability > *f.epss)) {
        f.epss = epss->probability;
        f.epss_percentile = epss->percentile;
      }
      const auto& score = e->score;
      if (!scored_by_records && score && (!f.cvss || score->base_score > *f.cvss)) {
        f.cvss = score->base_score;
        f.cvss_vector = score->vector;
        f.cvss_source = "nvd";
      }
      return {};
    };
    PP_CHECK(consider(f.vulnerability));
    for (const auto& a : f.aliases) PP_CHECK(consider(a));
    return {};
  }

  static void normalize(std::vector<std::string>& v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }

  store::AdvisoryLookup lookup_;
  const std::string& host_;
  std::unordered_map<std::string, std::vector<Advisory>> cache_;
  std::unordered_map<std::string, Enrichment> enrichment_;
  struct Verdicts {
    std::vector<Hit> hits;
    std::vector<Problem> problems;
    std::int64_t checked = 0;
  };
  std::unordered_map<std::string, Verdicts> verdicts_;
  AffectedEvaluator evaluator_;
};

}  // namespace

std::string advisory_lookup_name(const Package& p) {
  const std::string_view base = base_of(p.ecosystem);
  if (is_distribution(base) && !p.source_name.empty()) return p.source_name;
  return index_package_name(base, p.name);
}

std::vector<std::string> advisory_lookup_names(const Package& p) {
  std::vector<std::string> names{advisory_lookup_name(p)};
  // RPM families name either: Red Hat, AlmaLinux and Rocky Linux list binary packages (Red Hat
  // sometimes the source too), SUSE and openSUSE the source rpm.
  if (uses_rpm_versions(p.ecosystem) && !p.source_name.empty() && p.source_name != names[0])
    names.push_back(p.source_name);
  return names;
}

std::string_view compared_version(const Package& p) {
  const std::string_view base = base_of(p.ecosystem);
  if ((base == "Debian" || base == "Ubuntu") && !p.source_version.empty()) return p.source_version;
  return p.version;
}

Result<Correlation> correlate(store::Database& db, std::span<const Package> packages,
                              const std::string& host) {
  PP_TRY(snapshot, ReadSnapshot::begin(db));
  Correlation out;
  PP_TRY(lookup, store::AdvisoryLookup::prepare(db));
  Run run(std::move(lookup), host);
  for (const Package& p : packages) PP_CHECK(run.package(p, out));
  std::sort(out.findings.begin(), out.findings.end(), [](const Finding& a, const Finding& b) {
    return std::tie(a.project, a.package.ecosystem, a.package.name, a.package.location,
                    a.vulnerability) < std::tie(b.project, b.package.ecosystem, b.package.name,
                                                b.package.location, b.vulnerability);
  });
  return out;
}

}  // namespace patchparty::correlate
