// The command that performs a backlog task on its host, written out for a person to run at the
// party: patchparty never runs it. One package manager per ecosystem, each invoked the way its
// own documentation upgrades exactly the packages a task names and no others.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "exporters/backlog/backlog.h"

namespace patchparty::exporters {

// apt-get install --only-upgrade (Debian, Ubuntu), dnf upgrade-minimal --advisory= (Red Hat and
// its rebuilds, when the task names their advisories; else dnf upgrade NAME-EVR), zypper update
// (SUSE), apk upgrade (Alpine), composer update --with-dependencies and npm install NAME@VERSION
// (in `project_dir`). None for an ecosystem without one (a PyPI or Go project's lockfile).
std::optional<UpgradeCommand> upgrade_command(const BacklogTask& task,
                                              std::string_view project_dir = {});

// `arg` as one word of a POSIX shell: unchanged when it holds only characters no shell treats
// specially, else in single quotes (a quote inside written as '\'').
std::string shell_quote(std::string_view arg);

// The whole command for a POSIX shell: "cd DIR && ARGV..." when it has a directory.
std::string shell_command(const UpgradeCommand& command);

}  // namespace patchparty::exporters
