// backup: the seed's "take an up-to-date backup" step, checked continuously. A file's age
// (mtime) within max_age, or a command that exits 0. A stale backup is unhealthy.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "collectors/health/check_kind.h"
#include "collectors/health/health_check.h"
#include "config/health_config.h"

namespace patchparty::health {

class BackupCheck final : public HealthCheck {
 public:
  explicit BackupCheck(const config::HealthCheckConfig& c);
  std::string_view name() const override { return name_; }
  std::string_view kind() const override { return "backup"; }
  // File based: value is the age in seconds (patchparty_backup_age_seconds).
  Probe probe(std::stop_token stop) override;
  bool file_based() const { return !file_.empty(); }

 private:
  std::string name_;
  std::filesystem::path file_;
  std::chrono::milliseconds max_age_;
  std::vector<std::string> argv_;
  std::chrono::milliseconds timeout_;
  std::size_t max_output_;
};

// "backup": what its section needs, and the factory (register_builtin_checks).
CheckKind backup_check_kind();

}  // namespace patchparty::health
