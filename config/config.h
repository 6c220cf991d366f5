// The daemon's configuration: built-in defaults, overlaid by an optional YAML file.
// config/patchparty.example.yml documents every key; keep the two in step.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/health_config.h"
#include "core/base/duration.h"
#include "core/base/result.h"
#include "core/risk/risk_context.h"

namespace patchparty::config {

// "auto" reads a package database when its file exists; "true" makes a missing file an error.
enum class Toggle { automatic, on, off };

struct DatabaseSource {
  Toggle enabled = Toggle::automatic;
  std::filesystem::path path;
};

// Host context for risk: how reachable the software is and how much its failure costs.
using Context = risk::Context;

struct ProjectConfig {
  std::string name;                    // label on every package and finding of the project
  std::filesystem::path path;          // the project's directory
  std::vector<std::string> lockfiles;  // file names inside path; empty = every known one present
  // Go binaries whose embedded build information lists their modules: paths or glob patterns,
  // relative to `path` or absolute (under inventory.root).
  std::vector<std::string> binaries;
  // CycloneDX or SPDX JSON documents (told apart by content), relative to `path` or absolute.
  std::vector<std::filesystem::path> sbom;
  Context context;  // overrides the host's for the project's findings
};

// Application packages installed on the host outside any project: Python distributions in
// site-packages, npm packages installed globally. `paths` are directories or glob patterns
// under inventory.root; auto reads them when one exists.
struct InstalledAppsSource {
  Toggle enabled = Toggle::automatic;
  std::vector<std::string> paths;
};

// The monthly patch party: when it is, and when and where its backlog is written.
struct PartyConfig {
  // Five-field cron expression ("minute hour day-of-month month day-of-week"); day-of-week may be
  // "DOW#N" for the Nth such weekday of the month. Default: first Tuesday, 09:00.
  std::string schedule = "0 9 * * 2#1";
  std::string time_zone = "localtime";  // an IANA name ("Europe/Paris"), "UTC" or "localtime"
  Duration export_before = std::chrono::hours(24);
  std::filesystem::path export_dir;  // empty: <state_dir>/backlog
  // The rollout wave this host is patched in ("canary", "1", "2"), served in its backlog so a
  // fleet backlog can order hosts by it; empty: none.
  std::string wave;
};

// The fleet this daemon plans the party for (docs/fleet.md): where its hosts are found and how
// they are asked. No source: off.
struct FleetConfig {
  std::string prometheus;            // base URL of a Prometheus: its targets whose job matches
  std::string job = "patchparty.*";  // regex, matched whole
  std::vector<std::string> hosts;    // base URLs
  std::filesystem::path file_sd;     // a file_sd JSON file
  std::filesystem::path token_file;  // the hosts' api.read_token_file token
  std::filesystem::path ca_file;     // the CA of the hosts' certificates
  std::filesystem::path cert_file, key_file;     // a client certificate, for mutual TLS
  Duration interval = std::chrono::minutes(15);  // how often the fleet is asked
  Duration timeout = std::chrono::seconds(10);   // per request to a host
  std::int64_t parallel = 8;                     // hosts asked at once
  bool enabled() const { return !prometheus.empty() || !hosts.empty() || !file_sd.empty(); }
};

// Remediation deadlines from a finding's first sighting, per severity.
struct SlaConfig {
  Duration critical = std::chrono::hours(24 * 7);
  Duration high = std::chrono::hours(24 * 30);
  Duration medium = std::chrono::hours(24 * 90);
  Duration low = std::chrono::hours(24 * 180);
  Duration unknown = std::chrono::hours(24 * 90);  // no severity published: treated as medium
};

// What /metrics exposes beyond the low-cardinality families.
struct MetricsConfig {
  // One info series per open finding (host, package, vulnerability, ...): useful on a dashboard
  // of a few hosts, a cardinality risk on a fleet, so off by default and capped.
  bool per_finding = false;
  std::int64_t per_finding_limit = 500;  // the rest are counted as dropped, not exposed
  // patchparty_upgrade_pending{ecosystem, package}: one series per package with a backlog task,
  // riskiest first up to this many (the rest counted as dropped); 0: off. A fleet's dashboard
  // counts hosts per package from it.
  std::int64_t upgrade_pending_limit = 200;
};

// The HTTP API served on `listen` beside /metrics (docs/http-api.md "HTTP API").
struct ApiConfig {
  // Holds the bearer token POST endpoints require; read at start and on SIGHUP. Empty: POST
  // endpoints answer 403.
  std::filesystem::path token_file;
  // Holds the bearer token every GET /api/v1/* needs (the POST token is accepted too). Empty:
  // reads are open, as they are on the default loopback address.
  std::filesystem::path read_token_file;
  // /metrics, /healthz and /readyz need the read token too (Prometheus then sends it).
  bool protect_metrics = false;
  // HTTPS on `listen` (api.tls): read at start; a change needs a restart.
  struct Tls {
    std::filesystem::path cert_file, key_file;
    std::filesystem::path client_ca_file;  // set: clients need a certificate it signed
  };
  std::optional<Tls> tls;
  std::int64_t max_body_bytes = 1 << 20;  // a larger request body gets 413, unread
};

// Which findings page (exporters/alertmanager/alert_rules.h). A finding pages when any enabled
// rule matches; suppressed and resolved findings never page.
struct AlertRulesConfig {
  bool kev = true;                // CISA lists the CVE as exploited
  bool critical_with_fix = true;  // severity critical and a fixed version exists
  // core/risk/ score, 0..100; 0 turns the rule off. 50 needs, on the default host context
  // (internal, medium: x0.6), threat x impact >= 0.83, e.g. a critical CVE with EPSS >= 0.9.
  double min_risk = 50;
};

// Alerts to Alertmanager's v2 API. No alertmanagers: alerting is off.
struct AlertingConfig {
  std::vector<std::string> alertmanagers;  // base URLs, http(s) only; POSTs go to /api/v2/alerts
  Duration resend_interval = std::chrono::minutes(1);
  Duration timeout = std::chrono::seconds(10);  // one POST to one Alertmanager
  AlertRulesConfig rules;
};

// dpkg's own log, followed for patch events between inventories (docs/patch-watch-and-rollback.md
// "Patch events").
struct DpkgLogConfig {
  Toggle enabled = Toggle::automatic;  // auto: followed when dpkg's status file exists
  std::filesystem::path path = "/var/log/dpkg.log";  // under inventory.root
  Duration interval = std::chrono::seconds(30);
};

struct InventoryConfig {
  Duration interval = std::chrono::hours(1);
  std::filesystem::path root = "/";  // prefix for chroots and container images
  std::filesystem::path os_release = "/etc/os-release";
  // The OSV ecosystem of the host's packages when os-release cannot tell it ("Red Hat:
  // enterprise_linux:9"); empty: detected (collectors/inventory/host_ecosystem.h).
  std::string ecosystem;
  // Ubuntu hosts attached to Ubuntu Pro (ESM) also take "Ubuntu:Pro:…" advisories. auto: as
  // /var/lib/ubuntu-advantage/status.json says.
  Toggle ubuntu_pro = Toggle::automatic;
  // Red Hat hosts on an extended stream (eus, aus, e4s, tus) take that stream's advisories
  // instead of the main release's; "none" for the main release; "auto": the stream whose
  // repositories /etc/yum.repos.d/redhat.repo enables, else none.
  std::string redhat_stream = "auto";
  DatabaseSource dpkg{Toggle::automatic, "/var/lib/dpkg/status"};
  std::filesystem::path dpkg_status_dir = "/var/lib/dpkg/status.d";
  // apt's lists, read to tell which packages a third party ships; empty: not read.
  std::filesystem::path dpkg_apt_lists = "/var/lib/apt/lists";
  // Release origins that count as the distribution; empty: Debian's or Ubuntu's own.
  std::vector<std::string> dpkg_distribution_origins;
  // rpm: an empty path ("auto" in the file) searches rpm's known locations and formats
  // (collectors/inventory/rpm_db.h kRpmdbSearchPaths); a path is read whatever its format.
  DatabaseSource rpm{Toggle::automatic, {}};
  DatabaseSource apk{Toggle::automatic, "/lib/apk/db/installed"};
  // pip's installs beside the distribution's: Debian keeps its own python3-* modules in
  // /usr/lib/python3/dist-packages, which the dpkg inventory already covers, so that folder is
  // read only when named here.
  InstalledAppsSource python_site{
      Toggle::automatic,
      {"/usr/local/lib/python3*/dist-packages", "/usr/local/lib/python3*/site-packages"}};
  // npm install -g: /usr/local with Debian's npm, /usr with NodeSource's nodejs.
  InstalledAppsSource npm_global{Toggle::automatic,
                                 {"/usr/local/lib/node_modules", "/usr/lib/node_modules"}};
  std::int64_t max_file_bytes = 64 << 20;  // a larger database or lockfile is refused
  std::int64_t snapshots_kept = 30;        // per source and project
  DpkgLogConfig dpkg_log;
};

// Restart needed: processes still running deleted or replaced libraries, and the reboot flag.
struct RestartConfig {
  bool enabled = true;
  Duration interval = std::chrono::minutes(5);
  std::filesystem::path proc_root = "/proc";
  std::filesystem::path root = "/";  // for run/reboot-required
  std::string bus = "system";        // the systemd manager asked for units: system, user, none
  std::int64_t max_processes = 32768;
  std::int64_t max_map_lines = 65536;     // per process
  std::int64_t metrics_unit_limit = 100;  // patchparty_restart_required{unit} series at most
};

// One advisory or enrichment feed. Its kind is one of config::feed_kinds() (config/kinds.h),
// which collectors/feeds/ fills: osv, debian-tracker, debian-dsa-list, alpine-secdb, ...
struct FeedConfig {
  std::string name;  // unique; the {feed} label and download file name; defaults to the kind
  std::string kind;
  std::string url;  // http(s)://, file:///path (a file, zip or directory of records)
  bool enabled = true;
  Duration interval = std::chrono::hours(6);
  Duration timeout = std::chrono::minutes(10);    // a whole download, retries included
  std::int64_t max_size = std::int64_t{1} << 30;  // bytes after decoding; larger is refused
  // debian-tracker: releases kept ("bookworm"); empty: the host's. osv: ecosystems kept
  // ("Debian:12", "npm"); empty: all in the source.
  std::vector<std::string> only;
  std::string ca_path;  // CA bundle for https; empty: the system's
  // osv with a url ending in '/' (an ecosystem's folder of OSV's bucket), which syncs
  // incrementally: a sync whose changes pass this share of the records held loads all.zip instead.
  double max_changed_share = 0.1;
  std::int64_t concurrency = 8;  // requests in flight at once (changed records, API pages)
  // nvd: a file holding NVD's API key, sent as the apiKey header; empty: none, at NVD's lower
  // rate limit. Read at every refresh, so a new key needs no reload.
  std::filesystem::path api_key_file;
  // nvd: the pause between two API requests; unset: 6s without a key, 600ms with one, as NVD's
  // rate limits (5 and 50 requests per rolling 30 s) allow.
  std::optional<Duration> request_interval;
};

// How a patch to a target is watched (core/watch/verdict.h WatchPolicy).
struct WatchConfig {
  Duration window = std::chrono::minutes(10);
  Duration baseline = std::chrono::minutes(10);  // history before the patch that counts
  std::int64_t failure_threshold = 3;            // failed probes of one check in the window
  std::int64_t consecutive_failures = 2;         // failed probes in a row of one check
  std::int64_t recovery_successes = 2;           // healthy probes in a row after a rollback
};

// What undoes a regressed patch. Never runs unless `enabled`; exactly one of command and
// systemd_unit. Both are templates with {target} {package} {from_version} {to_version}.
struct RollbackConfig {
  bool enabled = false;
  bool dry_run = false;              // log what would run, run nothing
  std::vector<std::string> command;  // argv; never a shell
  std::string systemd_unit;          // e.g. patchparty-rollback@{target}.service, via sd-bus
  std::string bus = "system";        // system | user: where systemd_unit is started
  Duration timeout = std::chrono::minutes(5);
};

// Something a patch can break: the packages or deploy target that touch it, the health checks
// that say it works, and how to roll it back.
struct TargetConfig {
  std::string name;                   // also the deploy target name; [A-Za-z0-9._-]
  std::vector<std::string> packages;  // package events touching these open a watch
  std::vector<std::string> checks;    // health check names
  WatchConfig watch;
  RollbackConfig rollback;
};

struct Config {
  std::filesystem::path source_file;  // empty: built-in defaults only
  std::filesystem::path state_dir = "/var/lib/patchparty";
  std::string log_level = "info";
  std::string listen = "127.0.0.1:9877";
  std::string host_name;  // empty: the machine's hostname
  double jitter = 0.1;    // each job's interval varies by up to this fraction, so hosts spread out
  Duration shutdown_timeout = std::chrono::seconds(4);
  Context host{"internal", "medium"};
  InventoryConfig inventory;
  std::vector<ProjectConfig> projects;
  PartyConfig party;
  FleetConfig fleet;
  SlaConfig sla;
  MetricsConfig metrics;
  ApiConfig api;
  AlertingConfig alerting;
  std::vector<TargetConfig> targets;
  RestartConfig restart;
  // Suppression files: YAML (see config/suppressions.example.yml) or OpenVEX JSON (*.json).
  std::vector<std::filesystem::path> suppressions;
  // Absent in the file: chosen from what the inventory finds (see default_feeds).
  bool feeds_configured = false;
  std::vector<FeedConfig> feeds;
  HealthConfig health;
};

// Sizes as operators write them: "1048576", "64MiB", "1GiB", "500MB".
[[nodiscard]] Result<std::int64_t> parse_size(std::string_view text);

// The built-in defaults: what the daemon runs with when no file is given.
Config default_config();

// Parses YAML text; `file` names it in messages. Every problem is reported, one per line, as
// "file:line:col: key.path: message", in one invalid_argument error.
[[nodiscard]] Result<Config> parse_config(std::string_view yaml, std::string_view file);
[[nodiscard]] Result<Config> load_config_file(const std::filesystem::path& file);

std::string_view toggle_name(Toggle t);

// The project's exposure and criticality where it sets them, the host's otherwise. An empty
// project (host packages) or one the config does not name gets the host's context.
Context effective_context(const Config& config, std::string_view project);

}  // namespace patchparty::config
