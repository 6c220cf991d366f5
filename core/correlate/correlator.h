// Correlation: every inventory package against the advisories stored for its ecosystem and name
// (an indexed lookup per package, not a scan of all advisories), merged by alias set into
// findings and enriched from KEV, EPSS and, for findings whose records carry no CVSS score, NVD's
// scores. Risk and suppressions are applied afterwards (daemon/scan/).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/base/result.h"
#include "core/model/finding.h"
#include "core/model/model.h"
#include "core/store/sqlite_db.h"

namespace patchparty::correlate {

// A package that could not be judged: its version or an advisory's range does not parse under
// the ecosystem's comparator, or the ecosystem has none. Reported, never guessed.
struct Problem {
  std::string ecosystem, package, version, advisory;
  std::string message;
};

struct Correlation {
  std::vector<Finding> findings;  // ordered by project, ecosystem, package, vulnerability
  std::vector<Problem> problems;
  std::int64_t packages = 0;            // packages looked at
  std::int64_t advisories_checked = 0;  // advisory records evaluated (after the name lookup)
};

// Debian, Ubuntu and Alpine packages are looked up by source package and compared by source
// version, as the tracker, secdb and OSV publish them. Withdrawn advisories are skipped. `host`
// labels every finding; first_seen/last_seen are left for the store to fill. The lookups run in
// one read transaction, so a feed refresh committing meanwhile is seen entirely or not at all.
[[nodiscard]] Result<Correlation> correlate(store::Database& db, std::span<const Package> packages,
                                            const std::string& host);

// The name a package is looked up by in advisories: the source package for distributions, else
// its name as the ecosystem compares names (core/model/package_name.h: PEP 503 for PyPI, lower
// case for Packagist).
std::string advisory_lookup_name(const Package& p);
// Every name a package is looked up by: the one above, and for RPM families also the source
// rpm's name (SUSE and openSUSE name source rpms, Red Hat and its rebuilds binary ones).
std::vector<std::string> advisory_lookup_names(const Package& p);
// The version compared against advisory ranges: the source version for Debian and Ubuntu.
std::string_view compared_version(const Package& p);

}  // namespace patchparty::correlate
