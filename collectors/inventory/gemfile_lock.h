// Gems a Ruby application is locked to, from its Gemfile.lock (Bundler).
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

// One Package per gem of a `GEM` section, in file order: ecosystem "RubyGems", origin
// "bundler", location `label`. Bundler does not record groups in the lockfile, so nothing is
// marked dev.
//
// A hand-written scanner of Bundler's layout: section headings at column 0; in a source section
// `  specs:` at 2 spaces, the locked gems `    name (version)` at 4 and their dependencies at 6
// (ignored: every dependency is locked as a gem of its own). Rules:
//   - only `GEM` sections (gems from rubygems.org or another gem server) are read; the specs of
//     `GIT`, `PATH` and `PLUGIN SOURCE` sections are built from a repository or a folder, with
//     no registry version an advisory could name, and are skipped;
//   - a platform suffix is not part of the version, as Bundler splits it at the first "-":
//     `nokogiri (1.13.3-x86_64-linux)` is nokogiri 1.13.3; the same name and version locked
//     for several platforms is one package;
//   - `PLATFORMS`, `DEPENDENCIES`, `RUBY VERSION`, `BUNDLED WITH`, `CHECKSUMS` and any other
//     upper-case heading are not gems: ignored.
// A column-0 line that is not an upper-case heading, or a spec line that is not
// `name (version)` with printable ASCII name and version, is data_loss naming `label` and the
// line. An empty file has no gems.
[[nodiscard]] Result<std::vector<Package>> parse_gemfile_lock(
    std::string_view text, std::string_view project, std::string_view label = "Gemfile.lock");

class GemfileLock final : public InventorySource {
 public:
  // Files over `max_bytes` are refused with resource_exhausted before being read.
  GemfileLock(std::filesystem::path lock_file, std::string project,
              std::size_t max_bytes = kDefaultMaxFileBytes);

  std::string_view name() const override { return "bundler"; }
  [[nodiscard]] Result<std::vector<Package>> scan() override;

 private:
  std::filesystem::path lock_file_;
  std::string project_;
  std::size_t max_bytes_;
};

// "bundler": a project's Gemfile.lock (register_builtin_sources).
InventoryKind bundler_inventory_kind();

}  // namespace patchparty::inventory
