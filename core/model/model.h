// Value types shared along the advisory-to-finding path. Field names follow OSV where OSV has one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace patchparty {

// One installed package, from a host package database or an application lockfile.
struct Package {
  std::string ecosystem;    // OSV ecosystem name: "Debian:12", "Alpine:v3.19", "npm", "Packagist"
  std::string name;         // binary package name, or the lockfile's package name
  std::string version;      // exactly as the database or lockfile states it
  std::string source_name;  // dpkg Source:, rpm source rpm name, apk origin; else = name
  std::string source_version;  // dpkg Source: (version), else = version
  std::string arch;            // "amd64", "x86_64", "noarch"; empty for app packages
  std::string origin;     // inventory source that found it: "dpkg", "rpm", "apk", "composer", "npm"
  std::string project;    // configured project name for lockfile packages; empty for host packages
  std::string location;   // file it came from; for npm, the node_modules path inside the lockfile
  bool dev = false;       // composer packages-dev, npm dev
  bool optional = false;  // npm optional
  // Debian/Ubuntu: who ships the installed version, from apt's lists (collectors/inventory/
  // apt_lists.h). Empty supplier: unknown, taken as the distribution's.
  std::string supplier;         // Release Origin of a list holding it: "Debian", "nginx"
  bool third_party = false;     // only lists from outside the distribution hold it
  std::string supplier_newest;  // third party: the newest version that supplier's lists offer
  // rpm module builds: the module and stream the header's MODULARITYLABEL names ("perl:5.32").
  std::string module_stream;
};

// OSV "affected[].ranges[].events[]": exactly one of the four fields is set.
struct RangeEvent {
  enum class Kind { introduced, fixed, last_affected, limit };
  Kind kind;
  std::string version;
};

struct Range {
  enum class Type { ecosystem, semver, git };
  Type type = Type::ecosystem;
  std::vector<RangeEvent> events;
};

// How the source says a fix stands, normalised over OSV, the Debian tracker and secdb.
enum class FixStatus {
  fixed,
  unfixed,
  undetermined,
  no_dsa,
  postponed,
  ignored,
  end_of_life,
  wont_fix
};

struct Affected {
  std::string ecosystem;  // OSV ecosystem, with release suffix where the feed has one
  std::string name;       // package name; for Debian/Alpine the source package
  std::vector<Range> ranges;
  std::vector<std::string> versions;  // explicit affected versions
  // Native range expressions for feeds that state them that way: npm ("<1.2.3 || >=2.0.0 <2.0.5")
  // and Composer (">=4.4.0,<4.4.13|>=5.0.0,<5.1.5").
  std::vector<std::string> native_ranges;
  FixStatus fix_status = FixStatus::fixed;
};

struct Severity {
  std::string type;                  // "CVSS_V2", "CVSS_V3", "CVSS_V4", "Ubuntu", "urgency"
  std::string score;                 // vector string or label as published
  std::optional<double> base_score;  // computed from the vector where we can
};

struct Reference {
  std::string type;  // "ADVISORY", "FIX", "WEB", ...
  std::string url;
};

struct Advisory {
  std::string id;                    // "GHSA-…", "CVE-…", "DSA-5000-1", "DEBIAN-CVE-…"
  std::string feed;                  // feed that produced it: "osv", "debian-tracker", ...
  std::vector<std::string> aliases;  // other ids of the same vulnerability
  std::vector<std::string> related;
  // The upstream vulnerabilities a distribution's advisory is about (OSV 1.7 `upstream`: the
  // CVEs a Red Hat or Ubuntu record fixes).
  std::vector<std::string> upstream;
  std::string summary;
  std::string details;
  std::string published;  // RFC 3339 as published
  std::string modified;
  std::optional<std::string> withdrawn;
  std::vector<Severity> severity;
  std::vector<Affected> affected;
  std::vector<Reference> references;
  // The record exactly as an OSV source published it; the store keeps these bytes rather than
  // writing the record out again. Empty for feeds in other formats.
  std::string osv_json;
};

// What enrichment feeds say about one CVE: CISA KEV membership and FIRST EPSS scores.
struct KevEntry {
  std::string cve;
  std::string vendor, product, name;
  std::string date_added, due_date;  // YYYY-MM-DD
  bool known_ransomware = false;     // knownRansomwareCampaignUse == "Known"
  std::string required_action;
};

struct EpssScore {
  std::string cve;
  double probability = 0;  // 0..1: chance of exploitation activity in the next 30 days
  double percentile = 0;   // 0..1
  std::string date;        // score date, YYYY-MM-DD
};

// One CVSS assessment of a CVE by one source, from an enrichment feed (NVD).
struct CvssMetric {
  std::string version;    // "3.1", "3.0", "2.0"
  std::string source;     // "nvd@nist.gov", or the CNA's address or UUID
  std::string type;       // "Primary" (the NVD's) or "Secondary" (another source's)
  double base_score = 0;  // 0..10
  std::string vector;     // "CVSS:3.1/AV:N/...", or v2's bare "AV:N/AC:L/..."
  std::string severity;   // as published ("HIGH"); may be empty
};

// Every score an enrichment feed holds for a CVE; `metrics.front()` is the one a finding without
// a score of its own takes (collectors/feeds/nvd_cve.h preferred_score).
struct CveScores {
  std::string cve;
  std::string status;         // the publisher's ("Analyzed", "Rejected"); may be empty
  std::string last_modified;  // as published
  std::vector<CvssMetric> metrics;
};

}  // namespace patchparty
