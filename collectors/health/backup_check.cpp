#include "collectors/health/backup_check.h"

#include <sys/stat.h>

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cmath>
#include <cstring>

#include "collectors/health/command_check.h"
#include "core/base/duration.h"
#include "core/base/yaml_reader.h"

namespace patchparty::health {

BackupCheck::BackupCheck(const config::HealthCheckConfig& c)
    : name_(c.name),
      file_(c.file),
      max_age_(c.max_age),
      argv_(c.command),
      timeout_(c.timeout),
      max_output_(static_cast<std::size_t>(c.max_output_bytes)) {}

Probe BackupCheck::probe(std::stop_token stop) {
  if (!file_based()) return run_command_probe(argv_, timeout_, max_output_, std::move(stop));
  Probe p;
  p.at = WallClock::now();
  const auto started = std::chrono::steady_clock::now();
  struct stat st {};
  int rc = ::stat(file_.c_str(), &st);
  int err = errno;
  p.latency = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  if (rc != 0) {
    p.detail = file_.string() + ": " + std::strerror(err);
    return p;
  }
  const auto mtime = WallClock::time_point(std::chrono::duration_cast<WallClock::duration>(
      std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec)));
  // A clock step backwards makes a future mtime: age 0, not negative.
  const auto age = std::max(WallClock::duration::zero(), p.at - mtime);
  const double seconds = std::chrono::duration<double>(age).count();
  p.value = seconds;
  const auto age_ms = std::chrono::duration_cast<std::chrono::milliseconds>(age);
  p.healthy = age_ms <= max_age_;
  p.detail = file_.string() + " is " +
             config::format_duration(
                 std::chrono::seconds(static_cast<std::int64_t>(std::floor(seconds)))) +
             " old (max " + config::format_duration(max_age_) + ")";
  if (!p.healthy) p.detail = "stale backup: " + p.detail;
  return p;
}

namespace {

void check_section(config::YamlReader& r, const YAML::Node& item, const std::string& p,
                   const config::HealthCheckConfig& c) {
  if (c.file.empty() == c.command.empty())
    r.error(item, config::YamlReader::join(p, "file"),
            "give either file (with max_age) or command");
  if (!c.file.empty()) config::require_key(r, item, p, "max_age", c.max_age.count() > 0, c.kind);
}

}  // namespace

CheckKind backup_check_kind() {
  return CheckKind{.name = "backup", .check = check_section, .make = construct_check<BackupCheck>};
}

}  // namespace patchparty::health
