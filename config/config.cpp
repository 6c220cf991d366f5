#include "config/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "config/kinds.h"
#include "core/base/bounded_file.h"
#include "core/base/pattern.h"
#include "core/base/yaml_reader.h"
#include "core/party/cron_schedule.h"
#include "core/watch/rollback_argv.h"

namespace patchparty::config {

namespace {

constexpr std::size_t kMaxConfigBytes = 4 << 20;

void read_toggle(YamlReader& r, const YAML::Node& map, std::string_view path, Toggle& out) {
  std::string v(toggle_name(out));
  r.read_enum(map, path, "enabled", v, {"auto", "true", "false"});
  out = v == "true" ? Toggle::on : v == "false" ? Toggle::off : Toggle::automatic;
}

void read_database(YamlReader& r, const YAML::Node& map, std::string_view path,
                   std::string_view path_key, DatabaseSource& out, bool searchable = false) {
  if (!map.IsDefined() || map.IsNull()) return;
  if (!r.expect_map(map, path, {"enabled", path_key})) return;
  read_toggle(r, map, path, out.enabled);
  // "auto": the source looks in its known places (an empty path).
  const YAML::Node value = map[std::string(path_key)];
  if (searchable && value.IsDefined() && value.IsScalar() && value.Scalar() == "auto") {
    out.path.clear();
    return;
  }
  r.read_path(map, path, path_key, out.path);
}

void read_installed_apps(YamlReader& r, const YAML::Node& map, std::string_view path,
                         InstalledAppsSource& out) {
  if (!map.IsDefined() || map.IsNull()) return;
  if (!r.expect_map(map, path, {"enabled", "paths"})) return;
  read_toggle(r, map, path, out.enabled);
  r.read_strings(map, path, "paths", out.paths);
  for (const auto& p : out.paths)
    if (p.empty() || p.front() != '/')
      r.error(map["paths"], YamlReader::join(path, "paths"),
              "'" + p + "' must be an absolute directory or glob pattern");
}

void read_inventory(YamlReader& r, const YAML::Node& node, InventoryConfig& inv) {
  const std::string p = "inventory";
  if (!node.IsDefined() || node.IsNull()) return;
  if (!r.expect_map(node, p,
                    {"interval", "root", "os_release", "ecosystem", "ubuntu_pro", "redhat_stream",
                     "dpkg", "rpm", "apk", "python_site", "npm_global", "max_file_bytes",
                     "snapshots_kept", "dpkg_log"}))
    return;
  r.read(node, p, "interval", inv.interval, std::chrono::seconds(10));
  r.read_path(node, p, "root", inv.root);
  r.read_path(node, p, "os_release", inv.os_release);
  r.read(node, p, "ecosystem", inv.ecosystem);
  std::string pro(toggle_name(inv.ubuntu_pro));
  r.read_enum(node, p, "ubuntu_pro", pro, {"auto", "true", "false"});
  inv.ubuntu_pro = pro == "true" ? Toggle::on : pro == "false" ? Toggle::off : Toggle::automatic;
  r.read_enum(node, p, "redhat_stream", inv.redhat_stream,
              {"auto", "none", "eus", "aus", "e4s", "tus"});
  const YAML::Node dpkg = node["dpkg"];
  if (dpkg.IsDefined() && !dpkg.IsNull() &&
      r.expect_map(dpkg, "inventory.dpkg",
                   {"enabled", "status", "status_dir", "apt_lists", "distribution_origins"})) {
    read_toggle(r, dpkg, "inventory.dpkg", inv.dpkg.enabled);
    r.read_path(dpkg, "inventory.dpkg", "status", inv.dpkg.path);
    r.read_path(dpkg, "inventory.dpkg", "status_dir", inv.dpkg_status_dir);
    // "" switches the reading of apt's lists off.
    const YAML::Node lists = dpkg["apt_lists"];
    if (lists.IsDefined() && lists.IsScalar() && lists.Scalar().empty()) {
      inv.dpkg_apt_lists.clear();
    } else {
      r.read_path(dpkg, "inventory.dpkg", "apt_lists", inv.dpkg_apt_lists);
    }
    r.read_strings(dpkg, "inventory.dpkg", "distribution_origins", inv.dpkg_distribution_origins);
  }
  read_database(r, node["rpm"], "inventory.rpm", "database", inv.rpm, true);
  read_database(r, node["apk"], "inventory.apk", "installed", inv.apk);
  read_installed_apps(r, node["python_site"], "inventory.python_site", inv.python_site);
  read_installed_apps(r, node["npm_global"], "inventory.npm_global", inv.npm_global);
  r.read(node, p, "max_file_bytes", inv.max_file_bytes, 1 << 10, std::int64_t{1} << 34);
  r.read(node, p, "snapshots_kept", inv.snapshots_kept, 1, 100000);
  const YAML::Node log = node["dpkg_log"];
  if (log.IsDefined() && !log.IsNull() &&
      r.expect_map(log, "inventory.dpkg_log", {"enabled", "path", "interval"})) {
    read_toggle(r, log, "inventory.dpkg_log", inv.dpkg_log.enabled);
    r.read_path(log, "inventory.dpkg_log", "path", inv.dpkg_log.path);
    r.read(log, "inventory.dpkg_log", "interval", inv.dpkg_log.interval, std::chrono::seconds(1));
  }
}

void read_context(YamlReader& r, const YAML::Node& map, std::string_view path, Context& out) {
  r.read_enum(map, path, "exposure", out.exposure, {"internet", "internal", "isolated"});
  r.read_enum(map, path, "criticality", out.criticality, {"high", "medium", "low"});
}

void read_host(YamlReader& r, const YAML::Node& node, Config& c) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!r.expect_map(node, "host", {"name", "exposure", "criticality"})) return;
  r.read(node, "host", "name", c.host_name);
  read_context(r, node, "host", c.host);
}

void read_party(YamlReader& r, const YAML::Node& node, PartyConfig& party) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!r.expect_map(node, "party",
                    {"schedule", "time_zone", "export_before", "export_dir", "wave"}))
    return;
  r.read(node, "party", "schedule", party.schedule);
  r.read(node, "party", "time_zone", party.time_zone);
  r.read(node, "party", "export_before", party.export_before, std::chrono::seconds(0));
  r.read_path(node, "party", "export_dir", party.export_dir);
  r.read(node, "party", "wave", party.wave);
  // A label that travels into file names, JSON and dashboards: short and plain.
  const bool plain_wave =
      party.wave.size() <= 32 && std::all_of(party.wave.begin(), party.wave.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '_' || c == '.';
      });
  if (!plain_wave)
    r.error(node["wave"], "party.wave",
            "'" + party.wave + "' is not a wave name (up to 32 letters, digits, '-', '_', '.')");
  // Checked apart so each mistake points at its own key; UTC stands in for a zone that is
  // itself reported.
  auto at = [&](const char* key) { return node[key].IsDefined() ? node[key] : node; };
  if (auto s = party::CronSchedule::parse(party.schedule, "UTC"); !s)
    r.error(at("schedule"), "party.schedule", s.error().message);
  if (auto tz = party::load_time_zone(party.time_zone); !tz)
    r.error(at("time_zone"), "party.time_zone", tz.error().message);
}

void read_sla(YamlReader& r, const YAML::Node& node, SlaConfig& sla) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!r.expect_map(node, "sla", {"critical", "high", "medium", "low", "unknown"})) return;
  const Duration hour = std::chrono::hours(1);
  r.read(node, "sla", "critical", sla.critical, hour);
  r.read(node, "sla", "high", sla.high, hour);
  r.read(node, "sla", "medium", sla.medium, hour);
  r.read(node, "sla", "low", sla.low, hour);
  r.read(node, "sla", "unknown", sla.unknown, hour);
}

void read_metrics(YamlReader& r, const YAML::Node& node, MetricsConfig& metrics) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!r.expect_map(node, "metrics", {"per_finding", "per_finding_limit", "upgrade_pending_limit"}))
    return;
  r.read(node, "metrics", "per_finding", metrics.per_finding);
  // Past a few thousand series a scrape gets slow and Prometheus' memory grows with each.
  r.read(node, "metrics", "per_finding_limit", metrics.per_finding_limit, 0, 100000);
  r.read(node, "metrics", "upgrade_pending_limit", metrics.upgrade_pending_limit, 0, 10000);
}

void read_fleet(YamlReader& r, const YAML::Node& node, FleetConfig& fleet) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!r.expect_map(node, "fleet",
                    {"prometheus", "job", "hosts", "file_sd", "token_file", "ca_file", "cert_file",
                     "key_file", "interval", "timeout", "parallel"}))
    return;
  auto url = [&](const YAML::Node& v, const std::string& where, std::string& into) {
    if (!v.IsScalar() || !(v.Scalar().starts_with("http://") || v.Scalar().starts_with("https://")))
      r.error(v, where, "expected an http(s) base URL");
    else
      into = v.Scalar();
  };
  if (const YAML::Node p = node["prometheus"]; p.IsDefined() && !p.IsNull())
    url(p, "fleet.prometheus", fleet.prometheus);
  r.read(node, "fleet", "job", fleet.job);
  if (auto job = Pattern::compile(fleet.job); !job)
    r.error(node["job"], "fleet.job", "not a regex: " + job.error().message);
  if (const YAML::Node hosts = node["hosts"]; hosts.IsDefined() && !hosts.IsNull()) {
    if (!hosts.IsSequence()) {
      r.error(hosts, "fleet.hosts", "expected a list of base URLs");
    } else {
      for (std::size_t i = 0; i < hosts.size(); ++i) {
        std::string u;
        url(hosts[i], "fleet.hosts[" + std::to_string(i) + "]", u);
        if (!u.empty()) fleet.hosts.push_back(u);
      }
    }
  }
  for (auto [key, into] :
       {std::pair{"file_sd", &fleet.file_sd}, std::pair{"token_file", &fleet.token_file},
        std::pair{"ca_file", &fleet.ca_file}, std::pair{"cert_file", &fleet.cert_file},
        std::pair{"key_file", &fleet.key_file}})
    r.read_path(node, "fleet", key, *into);
  if (fleet.cert_file.empty() != fleet.key_file.empty())
    r.error(node, "fleet", "cert_file and key_file go together");
  r.read(node, "fleet", "interval", fleet.interval, std::chrono::minutes(1));
  r.read(node, "fleet", "timeout", fleet.timeout, std::chrono::milliseconds(100));
  r.read(node, "fleet", "parallel", fleet.parallel, 1, 256);
}

void read_api(YamlReader& r, const YAML::Node& node, ApiConfig& api) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!r.expect_map(node, "api",
                    {"token_file", "read_token_file", "protect_metrics", "tls", "max_body_bytes"}))
    return;
  auto token_file = [&](const char* key, std::filesystem::path& into) {
    const YAML::Node file = node[key];
    if (!file.IsDefined() || file.IsNull()) return;
    // Relative paths would depend on the daemon's working directory, which systemd sets to /.
    if (!file.IsScalar() || file.Scalar().empty() || file.Scalar().front() != '/')
      r.error(file, std::string("api.") + key,
              "expected an absolute path to a file holding the token");
    else
      into = file.Scalar();
  };
  token_file("token_file", api.token_file);
  token_file("read_token_file", api.read_token_file);
  r.read(node, "api", "protect_metrics", api.protect_metrics);
  if (api.protect_metrics && api.read_token_file.empty())
    r.error(node["protect_metrics"], "api.protect_metrics", "needs api.read_token_file");
  if (const YAML::Node tls = node["tls"]; tls.IsDefined() && !tls.IsNull()) {
    if (r.expect_map(tls, "api.tls", {"cert_file", "key_file", "client_ca_file"})) {
      ApiConfig::Tls t;
      auto path = [&](const char* key, std::filesystem::path& into, bool required) {
        const YAML::Node v = tls[key];
        const std::string where = std::string("api.tls.") + key;
        if (!v.IsDefined() || v.IsNull()) {
          if (required) r.error(tls, where, "is required with api.tls");
          return;
        }
        if (!v.IsScalar() || v.Scalar().empty() || v.Scalar().front() != '/')
          r.error(v, where, "expected an absolute path to a PEM file");
        else
          into = v.Scalar();
      };
      path("cert_file", t.cert_file, true);
      path("key_file", t.key_file, true);
      path("client_ca_file", t.client_ca_file, false);
      api.tls = std::move(t);
    }
  }
  if (const YAML::Node size = node["max_body_bytes"]; size.IsDefined() && !size.IsNull()) {
    auto n = size.IsScalar() ? parse_size(size.Scalar())
                             : fail(Errc::invalid_argument, "expected a size");
    constexpr std::int64_t kMin = 1 << 10, kMax = std::int64_t{64} << 20;
    if (!n)
      r.error(size, "api.max_body_bytes", n.error().message);
    else if (*n < kMin || *n > kMax)
      r.error(size, "api.max_body_bytes", "must be between 1KiB and 64MiB");
    else
      api.max_body_bytes = *n;
  }
}

void read_alerting(YamlReader& r, const YAML::Node& node, AlertingConfig& alerting) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!r.expect_map(node, "alerting", {"alertmanagers", "resend_interval", "timeout", "rules"}))
    return;
  if (const YAML::Node list = node["alertmanagers"];
      list.IsDefined() && !list.IsNull() && r.expect_list(list, "alerting.alertmanagers")) {
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string p = "alerting.alertmanagers[" + std::to_string(i) + "]";
      const std::string url = list[i].IsScalar() ? list[i].Scalar() : std::string();
      if (!url.starts_with("http://") && !url.starts_with("https://")) {
        r.error(list[i], p, "'" + url + "' must start with http:// or https://");
      } else if (auto ok = validate_url(url); !ok) {
        r.error(list[i], p, ok.error().message);
      } else if (std::find(alerting.alertmanagers.begin(), alerting.alertmanagers.end(), url) !=
                 alerting.alertmanagers.end()) {
        r.error(list[i], p, "duplicate Alertmanager '" + url + "'");
      } else {
        alerting.alertmanagers.push_back(url);
      }
    }
  }
  // Firing alerts carry endsAt 4 resend intervals ahead: any interval keeps them firing, a long
  // one only makes an abandoned alert take longer to resolve.
  r.read(node, "alerting", "resend_interval", alerting.resend_interval, std::chrono::seconds(1));
  r.read(node, "alerting", "timeout", alerting.timeout, std::chrono::milliseconds(100));
  const YAML::Node rules = node["rules"];
  if (!rules.IsDefined() || rules.IsNull()) return;
  if (!r.expect_map(rules, "alerting.rules", {"kev", "critical_with_fix", "min_risk"})) return;
  r.read(rules, "alerting.rules", "kev", alerting.rules.kev);
  r.read(rules, "alerting.rules", "critical_with_fix", alerting.rules.critical_with_fix);
  r.read(rules, "alerting.rules", "min_risk", alerting.rules.min_risk, 0.0, 100.0);
}

void read_restart(YamlReader& r, const YAML::Node& node, RestartConfig& restart) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!r.expect_map(node, "restart",
                    {"enabled", "interval", "proc_root", "root", "bus", "max_processes",
                     "max_map_lines", "metrics_unit_limit"}))
    return;
  r.read(node, "restart", "enabled", restart.enabled);
  // A scan reads every process's maps: more often than every 10 s costs more than it tells.
  r.read(node, "restart", "interval", restart.interval, std::chrono::seconds(10));
  r.read_path(node, "restart", "proc_root", restart.proc_root);
  r.read_path(node, "restart", "root", restart.root);
  r.read_enum(node, "restart", "bus", restart.bus, {"system", "user", "none"});
  r.read(node, "restart", "max_processes", restart.max_processes, 1, 4194304);
  r.read(node, "restart", "max_map_lines", restart.max_map_lines, 16, 1 << 24);
  r.read(node, "restart", "metrics_unit_limit", restart.metrics_unit_limit, 0, 10000);
}

void read_suppressions(YamlReader& r, const YAML::Node& node, Config& c) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!r.expect_list(node, "suppressions")) return;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string p = "suppressions[" + std::to_string(i) + "]";
    if (!node[i].IsScalar() || node[i].Scalar().empty() || node[i].Scalar().front() != '/') {
      r.error(node[i], p, "expected an absolute path to a YAML or OpenVEX JSON file");
      continue;
    }
    c.suppressions.emplace_back(node[i].Scalar());
  }
}

bool valid_project_name(std::string_view name) {
  if (name.empty() || name.size() > 128) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

void read_projects(YamlReader& r, const YAML::Node& node, std::vector<ProjectConfig>& out) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!r.expect_list(node, "projects")) return;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string p = "projects[" + std::to_string(i) + "]";
    const YAML::Node item = node[i];
    if (!r.expect_map(item, p,
                      {"name", "path", "lockfiles", "binaries", "sbom", "exposure", "criticality"}))
      continue;
    ProjectConfig project;
    r.read(item, p, "name", project.name);
    r.read_path(item, p, "path", project.path);
    r.read_strings(item, p, "lockfiles", project.lockfiles);
    r.read_strings(item, p, "binaries", project.binaries);
    std::vector<std::string> sbom;
    r.read_strings(item, p, "sbom", sbom);
    for (const auto& f : sbom) {
      if (f.empty())
        r.error(item["sbom"], YamlReader::join(p, "sbom"), "an empty file name");
      else
        project.sbom.emplace_back(f);
    }
    for (const auto& b : project.binaries)
      if (b.empty()) r.error(item["binaries"], YamlReader::join(p, "binaries"), "an empty path");
    read_context(r, item, p, project.context);
    // The name becomes a metric label and part of file names: keep it to a safe alphabet.
    if (!valid_project_name(project.name))
      r.error(item["name"].IsDefined() ? item["name"] : item, YamlReader::join(p, "name"),
              "required; letters, digits, '-', '_' and '.' only, at most 128");
    if (project.path.empty()) r.error(item, YamlReader::join(p, "path"), "required");
    for (const auto& f : project.lockfiles) {
      if (f.empty() || f.find('/') != std::string::npos || f == "." || f == "..")
        r.error(item["lockfiles"], YamlReader::join(p, "lockfiles"),
                "'" + f + "' must be a file name inside the project directory");
    }
    for (const auto& other : out) {
      if (other.name == project.name)
        r.error(item["name"], YamlReader::join(p, "name"),
                "duplicate project name '" + project.name + "'");
    }
    out.push_back(std::move(project));
  }
}

bool valid_target_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

void read_rollback(YamlReader& r, const YAML::Node& node, const std::string& p,
                   RollbackConfig& rb) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!r.expect_map(node, p, {"enabled", "dry_run", "command", "systemd_unit", "bus", "timeout"}))
    return;
  r.read(node, p, "enabled", rb.enabled);
  r.read(node, p, "dry_run", rb.dry_run);
  r.read_strings(node, p, "command", rb.command);
  r.read(node, p, "systemd_unit", rb.systemd_unit);
  r.read_enum(node, p, "bus", rb.bus, {"system", "user"});
  r.read(node, p, "timeout", rb.timeout, std::chrono::seconds(1));
  const bool has_command = !rb.command.empty(), has_unit = !rb.systemd_unit.empty();
  if (has_command && has_unit)
    r.error(node, p, "either command or systemd_unit, not both");
  else if (rb.enabled && !has_command && !has_unit)
    r.error(node, YamlReader::join(p, "enabled"), "a rollback needs a command or a systemd_unit");
  if (has_command) {
    if (auto ok = watch::validate_argv_template(rb.command); !ok)
      r.error(node["command"], YamlReader::join(p, "command"), ok.error().message);
  }
  if (has_unit) {
    // Checked with harmless values: the template's own characters must make a unit name.
    const watch::RollbackValues probe{
        .target = "t", .package = "p", .from_version = "1", .to_version = "2"};
    if (auto ok = watch::expand_unit_name(rb.systemd_unit, probe); !ok)
      r.error(node["systemd_unit"], YamlReader::join(p, "systemd_unit"), ok.error().message);
  }
}

void read_watch(YamlReader& r, const YAML::Node& node, const std::string& p, WatchConfig& w) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!r.expect_map(node, p,
                    {"window", "baseline", "failure_threshold", "consecutive_failures",
                     "recovery_successes"}))
    return;
  r.read(node, p, "window", w.window, std::chrono::seconds(1));
  r.read(node, p, "baseline", w.baseline, std::chrono::seconds(1));
  r.read(node, p, "failure_threshold", w.failure_threshold, 1, 1000);
  r.read(node, p, "consecutive_failures", w.consecutive_failures, 1, 1000);
  r.read(node, p, "recovery_successes", w.recovery_successes, 1, 1000);
}

void read_targets(YamlReader& r, const YAML::Node& node, std::vector<TargetConfig>& out) {
  if (!node.IsDefined() || node.IsNull()) return;
  if (!r.expect_list(node, "targets")) return;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string p = "targets[" + std::to_string(i) + "]";
    const YAML::Node item = node[i];
    if (!r.expect_map(item, p, {"name", "packages", "checks", "watch", "rollback"})) continue;
    TargetConfig t;
    r.read(item, p, "name", t.name);
    r.read_strings(item, p, "packages", t.packages);
    r.read_strings(item, p, "checks", t.checks);
    read_watch(r, item["watch"], YamlReader::join(p, "watch"), t.watch);
    read_rollback(r, item["rollback"], YamlReader::join(p, "rollback"), t.rollback);
    // The name reaches argv values, unit instance names and metric labels.
    if (!valid_target_name(t.name))
      r.error(item["name"].IsDefined() ? item["name"] : item, YamlReader::join(p, "name"),
              "required; letters, digits, '-', '_' and '.' only, at most 64");
    if (t.checks.empty())
      r.error(item, YamlReader::join(p, "checks"),
              "required: a watch without health checks cannot judge a patch");
    for (const auto& other : out)
      if (other.name == t.name)
        r.error(item["name"], YamlReader::join(p, "name"), "duplicate target '" + t.name + "'");
    out.push_back(std::move(t));
  }
}

bool valid_feed_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

void read_feeds(YamlReader& r, const YAML::Node& node, Config& c) {
  if (!node.IsDefined()) return;
  c.feeds_configured = true;
  if (node.IsNull()) return;
  if (!r.expect_list(node, "feeds")) return;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string p = "feeds[" + std::to_string(i) + "]";
    const YAML::Node item = node[i];
    if (!r.expect_map(
            item, p,
            {"name", "kind", "url", "enabled", "interval", "timeout", "max_size", "only", "ca_path",
             "max_changed_share", "concurrency", "api_key_file", "request_interval"}))
      continue;
    FeedConfig f;
    r.read_enum(item, p, "kind", f.kind, feed_kinds().names());
    if (f.kind.empty() && !item["kind"].IsDefined())
      r.error(item, YamlReader::join(p, "kind"), "required");
    f.name = f.kind;
    r.read(item, p, "name", f.name);
    if (!f.name.empty() && !valid_feed_name(f.name))
      r.error(item["name"], YamlReader::join(p, "name"),
              "'" + f.name + "': lower-case letters, digits, '-' and '_' only, at most 64");
    r.read_url(item, p, "url", f.url);
    if (f.url.empty() && !item["url"].IsDefined())
      r.error(item, YamlReader::join(p, "url"), "required");
    r.read(item, p, "enabled", f.enabled);
    r.read(item, p, "interval", f.interval, std::chrono::minutes(1));
    r.read(item, p, "timeout", f.timeout, std::chrono::seconds(1));
    if (const YAML::Node size = item["max_size"]; size.IsDefined() && !size.IsNull()) {
      auto n = size.IsScalar() ? parse_size(size.Scalar())
                               : fail(Errc::invalid_argument, "expected a size");
      if (!n) {
        r.error(size, YamlReader::join(p, "max_size"), n.error().message);
      } else {
        f.max_size = *n;
      }
    }
    r.read_strings(item, p, "only", f.only);
    r.read(item, p, "max_changed_share", f.max_changed_share, 0.0, 1.0);
    r.read(item, p, "concurrency", f.concurrency, 1, 64);
    std::filesystem::path ca;
    r.read_path(item, p, "ca_path", ca);
    f.ca_path = ca.string();
    r.read_path(item, p, "api_key_file", f.api_key_file);
    if (const YAML::Node n = item["request_interval"]; n.IsDefined() && !n.IsNull()) {
      Duration interval{0};
      r.read(item, p, "request_interval", interval, Duration(0));
      f.request_interval = interval;
    }
    if (const FeedKind* kind = feed_kinds().find(f.kind); kind && kind->check)
      kind->check(r, item, p, f);
    for (const auto& other : c.feeds) {
      if (other.name == f.name && !f.name.empty())
        r.error(item, YamlReader::join(p, "name"),
                "duplicate feed name '" + f.name + "' (give each feed of a kind its own name)");
    }
    c.feeds.push_back(std::move(f));
  }
}

bool valid_listen(std::string_view listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  auto port = listen.substr(colon + 1);
  if (port.empty() || port.size() > 5) return false;
  int n = 0;
  for (char c : port) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  return n > 0 && n < 65536;
}

}  // namespace

Result<std::int64_t> parse_size(std::string_view text) {
  auto bad = [&] {
    return fail(Errc::invalid_argument,
                "bad size '" + std::string(text) + "' (write e.g. 1048576, 64MiB, 1GiB, 500MB)");
  };
  std::size_t i = 0;
  std::int64_t n = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (n > (std::int64_t{1} << 50)) return bad();
    n = n * 10 + (text[i++] - '0');
  }
  if (i == 0) return bad();
  std::string_view unit = text.substr(i);
  constexpr std::pair<std::string_view, std::int64_t> kUnits[] = {
      {"", 1},         {"B", 1},         {"KB", 1000},       {"KiB", 1024},
      {"MB", 1000000}, {"MiB", 1 << 20}, {"GB", 1000000000}, {"GiB", std::int64_t{1} << 30}};
  for (const auto& [name, factor] : kUnits) {
    if (unit == name) return n * factor;
  }
  return bad();
}

std::string_view toggle_name(Toggle t) {
  switch (t) {
    case Toggle::on:
      return "true";
    case Toggle::off:
      return "false";
    case Toggle::automatic:
      return "auto";
  }
  return "auto";
}

Config default_config() {
  return Config{};
}

Result<Config> parse_config(std::string_view yaml, std::string_view file) {
  YamlReader r{std::string(file)};
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml));
  } catch (const YAML::ParserException& e) {
    r.error_at(e.mark.line, e.mark.column, "YAML syntax: " + e.msg);
    return fail(Errc::invalid_argument, r.errors().front());
  } catch (const YAML::Exception& e) {
    return fail(Errc::invalid_argument, std::string(file) + ": " + e.what());
  }
  Config c = default_config();
  c.source_file = std::string(file);
  if (root.IsNull() || !root.IsDefined()) return c;  // an empty file means all defaults
  try {
    if (r.expect_map(root, "", {"state_dir",
                                "log_level",
                                "listen",
                                "host_name",
                                "host",
                                "jitter",
                                "shutdown_timeout",
                                "inventory",
                                "projects",
                                "feeds",
                                "party",
                                "fleet",
                                "sla",
                                "metrics",
                                "api",
                                "alerting",
                                "targets",
                                "suppressions",
                                "health",
                                "restart"})) {
      r.read_path(root, "", "state_dir", c.state_dir);
      r.read_enum(root, "", "log_level", c.log_level,
                  {"debug", "info", "notice", "warning", "error"});
      r.read(root, "", "listen", c.listen);
      if (!valid_listen(c.listen))
        r.error(root["listen"], "listen", "'" + c.listen + "' is not HOST:PORT");
      r.read(root, "", "host_name", c.host_name);
      r.read(root, "", "jitter", c.jitter, 0.0, 0.5);
      r.read(root, "", "shutdown_timeout", c.shutdown_timeout, std::chrono::milliseconds(100));
      read_inventory(r, root["inventory"], c.inventory);
      read_projects(r, root["projects"], c.projects);
      read_feeds(r, root["feeds"], c);
      read_host(r, root["host"], c);
      read_party(r, root["party"], c.party);
      read_fleet(r, root["fleet"], c.fleet);
      read_sla(r, root["sla"], c.sla);
      read_metrics(r, root["metrics"], c.metrics);
      read_api(r, root["api"], c.api);
      read_alerting(r, root["alerting"], c.alerting);
      read_targets(r, root["targets"], c.targets);
      read_restart(r, root["restart"], c.restart);
      read_suppressions(r, root["suppressions"], c);
      detail::read_health(r, root["health"], c.health);
      // A target judged by a check that does not exist would never regress: refuse it.
      const YAML::Node targets = root["targets"];
      for (std::size_t i = 0; i < c.targets.size(); ++i)
        for (const auto& check : c.targets[i].checks)
          if (std::none_of(c.health.checks.begin(), c.health.checks.end(),
                           [&](const HealthCheckConfig& h) { return h.name == check; }))
            r.error(targets[i]["checks"], "targets[" + std::to_string(i) + "].checks",
                    "no health check named '" + check + "' (health.checks)");
    }
  } catch (const YAML::Exception& e) {
    r.error_at(e.mark.line, e.mark.column, e.msg);
  }
  if (!r.errors().empty()) {
    std::string all;
    for (const auto& e : r.errors()) all += (all.empty() ? "" : "\n") + e;
    return fail(Errc::invalid_argument, all);
  }
  return c;
}

Result<Config> load_config_file(const std::filesystem::path& file) {
  PP_TRY(text, read_bounded_file(file, kMaxConfigBytes));
  return parse_config(text, file.string());
}

Context effective_context(const Config& config, std::string_view project) {
  Context c = config.host;
  if (project.empty()) return c;
  for (const auto& p : config.projects) {
    if (p.name != project) continue;
    if (!p.context.exposure.empty()) c.exposure = p.context.exposure;
    if (!p.context.criticality.empty()) c.criticality = p.context.criticality;
    break;
  }
  return c;
}

}  // namespace patchparty::config
