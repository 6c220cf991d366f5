// Java (JVM) libraries a Gradle build resolved, from its gradle.lockfile (dependency locking).
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/inventory/inventory_kind.h"
#include "collectors/inventory/inventory_source.h"
#include "core/base/bounded_file.h"
#include "core/base/result.h"
#include "core/model/model.h"

namespace patchparty::inventory {

// The lockfile lists every resolved module, direct and transitive, one a line:
// `group:artifact:version=configuration1,configuration2`. One Package per such line, in file
// order: ecosystem "Maven", origin "gradle", name "group:artifact", version as locked, location
// `label`. dev is set when every configuration the module is locked for is a test one (its name
// is "test" followed by an upper-case letter: testCompileClasspath, testRuntimeClasspath,
// testFixturesRuntimeClasspath, ...), since it then never reaches the built application.
//
// Skipped: blank lines, `#` comments and the `empty=...` line (the configurations that resolved
// nothing). Any other line that is not exactly that shape (three non-empty `:`-separated fields
// of printable ASCII without spaces, then `=`) is skipped and counted, as Gradle and
// osv-detector tolerate hand edits; `skipped_lines` says how many, so a caller can warn.
struct GradleLockfileContents {
  std::vector<Package> packages;
  std::size_t skipped_lines = 0;
};

[[nodiscard]] Result<GradleLockfileContents> parse_gradle_lockfile_details(
    std::string_view text, std::string_view project, std::string_view label = "gradle.lockfile");

// The packages of parse_gradle_lockfile_details.
[[nodiscard]] Result<std::vector<Package>> parse_gradle_lockfile(
    std::string_view text, std::string_view project, std::string_view label = "gradle.lockfile");

class GradleLockfile final : public InventorySource {
 public:
  // Files over `max_bytes` are refused with resource_exhausted before being read.
  GradleLockfile(std::filesystem::path lock_file, std::string project,
                 std::size_t max_bytes = kDefaultMaxFileBytes);

  std::string_view name() const override { return "gradle"; }
  [[nodiscard]] Result<std::vector<Package>> scan() override;
  // Lines of the last scan() that were neither a module, a comment nor `empty=`.
  std::size_t skipped_lines() const { return skipped_lines_; }
  std::vector<std::string> notes() const override {
    if (!skipped_lines_) return {};
    return {std::to_string(skipped_lines_) +
            " lines are not group:artifact:version=configurations"};
  }

 private:
  std::filesystem::path lock_file_;
  std::string project_;
  std::size_t max_bytes_;
  std::size_t skipped_lines_ = 0;
};

// "gradle": a project's gradle.lockfile (register_builtin_sources).
InventoryKind gradle_inventory_kind();

}  // namespace patchparty::inventory
