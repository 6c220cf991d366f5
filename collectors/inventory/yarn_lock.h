// Packages of a Node.js application from its yarn.lock: yarn 1 ("# yarn lockfile v1", yarn's
// own indented syntax) and yarn 2+ "Berry" (YAML with a "__metadata" entry).
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

// One Package per distinct (name, version) that came from the npm registry, in order of first
// appearance: yarn.lock is keyed by requested ranges and records no install paths, so `location`
// is `label`. Ecosystem "npm", origin "yarn". yarn.lock has no dev or optional flag (it locks
// the whole graph without saying who asked): dev and optional are always false.
//
// The format is Berry when a top-level "__metadata" key is present, else yarn 1 (with or without
// its header comment; a file of only comments is empty).
//
// Yarn 1: every entry is `spec, spec, ...:` at column 0 followed by indented fields; only
// `version` is read. The name comes from the first spec ("@babel/core@^7" -> "@babel/core";
// the alias "alias@npm:real@^1" -> "real"). An entry is skipped when any of its specs (after
// unwrapping "npm:") is not a registry range, i.e. contains ':' or '/': git, github shorthand
// ("owner/repo"), tarball URLs, "file:", "link:". Yarn merges specs only when they resolve to
// the same thing, so one such spec means the locked copy did not come from the registry.
//
// Berry: the name and protocol come from `resolution` ("lodash@npm:4.17.21": name up to the
// '@' before the protocol), the version from `version` (or the resolution's "npm:" version when
// `version` is missing). Kept: "npm:" resolutions, and "patch:" resolutions whose patched package
// (percent-decoded, "resolve@npm%3A1.22.1" -> "resolve@npm:1.22.1") is an "npm:" one; the patched
// copy is the same name@version as its original. Skipped: "__metadata", "workspace:" (the root
// project and workspace members), "link:", "portal:", "file:", "exec:", git, github and tarball
// URL resolutions ("https:", "git+ssh:", ...), and patches of any of these: they are not registry
// packages, so no advisory names their versions. __metadata.version 4 to 8 (yarn 2.0 to 4.x)
// are read; another is failed_precondition.
//
// Errors: a yarn 1 line that is not an entry header, a field or a nested field, or an unclosed
// quote, is data_loss naming the line; invalid YAML is data_loss with the line; nesting deeper
// than 64 levels is refused (invalid_argument) before yaml-cpp sees it, since yaml-cpp recurses
// per level. A kept entry without a version, a name that is not printable ASCII without spaces,
// a version that is not (or has control characters or spaces), and Berry entries of the wrong
// shape are invalid_argument.
[[nodiscard]] Result<std::vector<Package>> parse_yarn_lock(std::string_view text,
                                                           std::string_view project,
                                                           std::string_view label = "yarn.lock");

class YarnLock final : public InventorySource {
 public:
  // Files over `max_bytes` are refused with resource_exhausted before being read.
  YarnLock(std::filesystem::path lock_file, std::string project,
           std::size_t max_bytes = kDefaultMaxFileBytes);

  std::string_view name() const override { return "yarn"; }
  [[nodiscard]] Result<std::vector<Package>> scan() override;

 private:
  std::filesystem::path lock_file_;
  std::string project_;
  std::size_t max_bytes_;
};

// "yarn": a project's yarn.lock (register_builtin_sources).
InventoryKind yarn_inventory_kind();

}  // namespace patchparty::inventory
