// Rollback commands are argv templates: the program and every argument are fixed in the config,
// and only placeholders inside an argument are substituted. A value can therefore never become a
// second argument, an option or shell syntax; on top of that every value is checked against a
// narrow character set, because the program it reaches (apt-get, a deploy script) may itself
// hand it to a shell.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"

namespace patchparty::watch {

// What a rollback may be told about the patch event it undoes.
struct RollbackValues {
  std::string target;        // {target}: the watched target's name
  std::string package;       // {package}: the package or deploy target the event changed
  std::string from_version;  // {from_version}: the version before the event (rolled back to)
  std::string to_version;    // {to_version}: the version the event installed
};

// At config time: an absolute program path, and only the four known placeholders, well formed.
[[nodiscard]] Result<> validate_argv_template(std::span<const std::string> argv);

// A value fit to be substituted: non-empty, at most 128 bytes, only [A-Za-z0-9._+:~@-], and not
// starting with '-' (it would read as an option). Debian, npm, Composer and PEP 440 versions and
// package names all fit.
[[nodiscard]] Result<> validate_value(std::string_view name, std::string_view value);

// The argv with placeholders replaced; invalid_argument names the first value refused. Only the
// placeholders the template uses need values.
[[nodiscard]] Result<std::vector<std::string>> expand_argv(std::span<const std::string> argv,
                                                           const RollbackValues& values);

// A systemd unit name from a template such as "patchparty-rollback@{target}.service": the
// result must be a valid unit name (systemd's characters, one '@' at most, a known suffix).
[[nodiscard]] Result<std::string> expand_unit_name(std::string_view unit_template,
                                                   const RollbackValues& values);

}  // namespace patchparty::watch
