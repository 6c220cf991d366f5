#include "exporters/backlog/upgrade_command.h"

#include <algorithm>
#include <set>

#include "core/model/ecosystem_scope.h"
#include "core/versions/version_scheme.h"

namespace patchparty::exporters {

namespace {

// The ids dnf's updateinfo knows an advisory by, per family: Red Hat, AlmaLinux, Rocky Linux
// and Oracle Linux security, bug fix and enhancement advisories.
bool dnf_advisory_id(std::string_view id) {
  for (std::string_view prefix : {"RHSA-", "RHBA-", "RHEA-", "ALSA-", "ALBA-", "ALEA-", "RLSA-",
                                  "RLBA-", "RLEA-", "ELSA-", "ELBA-", "ELEA-"}) {
    if (id.starts_with(prefix)) return true;
  }
  return false;
}

bool suse_family(std::string_view ecosystem) {
  const std::string_view base = ecosystem_base(ecosystem);
  return base == "SUSE" || base == "openSUSE";
}

std::optional<std::string_view> scheme_of(std::string_view ecosystem) {
  auto scheme = versions::scheme_for_ecosystem(ecosystem);
  if (!scheme) return std::nullopt;
  return (*scheme)->name();
}

}  // namespace

std::optional<UpgradeCommand> upgrade_command(const BacklogTask& task,
                                              std::string_view project_dir) {
  const std::string_view base = ecosystem_base(task.ecosystem);
  UpgradeCommand c;
  if (base == "Packagist") {
    c.argv = {"composer", "update", task.package, "--with-dependencies"};
    c.directory = std::string(project_dir);
    return c;
  }
  if (base == "npm") {
    c.argv = {
        "npm", "install",
        task.target_version.empty() ? task.package : task.package + "@" + task.target_version};
    c.directory = std::string(project_dir);
    return c;
  }
  const auto scheme = scheme_of(task.ecosystem);
  if (!scheme || task.binaries.empty()) return std::nullopt;
  if (*scheme == "dpkg") {
    c.argv = {"apt-get", "install", "--only-upgrade"};
    c.argv.insert(c.argv.end(), task.binaries.begin(), task.binaries.end());
    return c;
  }
  if (*scheme == "apk") {
    c.argv = {"apk", "upgrade"};
    c.argv.insert(c.argv.end(), task.binaries.begin(), task.binaries.end());
    return c;
  }
  if (*scheme != "rpm") return std::nullopt;
  if (suse_family(task.ecosystem)) {
    c.argv = {"zypper", "update"};
    c.argv.insert(c.argv.end(), task.binaries.begin(), task.binaries.end());
    return c;
  }
  // dnf applies an advisory's packages that are installed and nothing newer than it needs.
  std::set<std::string> advisories;
  for (const auto& v : task.vulnerabilities) {
    for (const auto& id : v.advisories)
      if (dnf_advisory_id(id)) advisories.insert(id);
  }
  if (!advisories.empty()) {
    c.argv = {"dnf", "upgrade-minimal"};
    for (const auto& id : advisories) c.argv.push_back("--advisory=" + id);
    return c;
  }
  // Binaries of one source rpm build share its epoch, version and release.
  c.argv = {"dnf", "upgrade"};
  for (const auto& b : task.binaries)
    c.argv.push_back(task.target_version.empty() ? b : b + "-" + task.target_version);
  return c;
}

std::string shell_quote(std::string_view arg) {
  const bool plain = !arg.empty() && std::all_of(arg.begin(), arg.end(), [](char ch) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           std::string_view("@%+=:,./_-").find(ch) != std::string_view::npos;
  });
  if (plain) return std::string(arg);
  std::string out = "'";
  for (char ch : arg) {
    if (ch == '\'') {
      out += "'\\''";
    } else {
      out += ch;
    }
  }
  return out + "'";
}

std::string shell_command(const UpgradeCommand& command) {
  std::string out;
  if (!command.directory.empty()) out = "cd " + shell_quote(command.directory) + " && ";
  for (std::size_t i = 0; i < command.argv.size(); ++i) {
    if (i) out += ' ';
    out += shell_quote(command.argv[i]);
  }
  return out;
}

}  // namespace patchparty::exporters
