// Packages of a Python application from its requirements.txt, pip's requirements file format
// (https://pip.pypa.io/en/stable/reference/requirements-file-format/), as written by hand or by
// pip-compile and `pip freeze`.
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

struct RequirementsResult {
  std::vector<Package> packages;
  // The lines that name something without pinning it, as "<label>:<line>: <line as written>"
  // (comments removed, continuations joined; <line> is the first physical line): unpinned
  // requirements ("flask", "keyring >= 4.1.1", "foo ~= 1.1", "foo == 1.*", two or more version
  // clauses), URL, VCS and local path requirements ("./x.whl", "name @ https://...", "git+..."),
  // "-e" editable lines, and "-r" includes that were not followed (with the reason).
  std::vector<std::string> not_pinned;
};

// An "-r <path>" line of one file, for read_requirements_txt to follow.
struct RequirementsInclude {
  std::string path;  // as written
  std::size_t line = 0;
};

// One file, lines joined and cleaned the way pip's req_file.py does it:
//   - a line ending in "\" continues on the next one, unless it starts (after whitespace) with
//     "#"; pip strips every "\" from both ends of the continued line, so "4.5\\" + ".6" reads
//     "4.5.6" and a last line ending in "\" stands alone;
//   - a comment is "#" at the start of a line or after whitespace ("foo==1#x" has none);
//   - a line splits into the requirement and its per-requirement options ("--hash=...",
//     "--global-option") at the first word starting with "-";
//   - lines break at "\n", "\r", "\v", "\f" and "\x1c".."\x1e", as Python's splitlines();
//     a leading UTF-8 byte order mark is dropped.
// A requirement is pinned, and becomes a Package (ecosystem "PyPI", origin "requirements",
// location `label`, name as written, no normalisation), when it is a PEP 508 name, optional
// "[extras]", then exactly one clause "== <version>" (no ".*" wildcard) or "=== <version>",
// optionally in parentheses, then nothing or an environment marker after ";" (not evaluated:
// the package is kept whatever the marker says). Everything else goes to not_pinned.
// Options: "-r"/"--requirement" lines go to `includes` (or, when it is null, to not_pinned);
// "-c"/"--constraint" files only restrict versions of packages named elsewhere and are not
// requirements, so they are skipped; "-e"/"--editable" lines go to not_pinned; every other
// option ("-i", "--index-url", "--find-links", "--require-hashes", ...) is ignored.
// Control characters other than tab and the line breaks are data_loss with the line number
// (not a text file).
[[nodiscard]] Result<RequirementsResult> parse_requirements_txt(
    std::string_view text, std::string_view project, std::string_view label = "requirements.txt",
    std::vector<RequirementsInclude>* includes = nullptr);

// `file` and the files its "-r" lines include, depth first, each read once (the include graph
// may have cycles and diamonds; a file reached again is not read again). An include is resolved
// against the directory of the file that names it, as pip does, and followed only when it stays
// inside the directory tree of `file` (symbolic links resolved) and at most 8 includes deep;
// otherwise, and for URLs, the line goes to not_pinned with the reason. The packages of an
// included file carry its path as location. A missing or unreadable include fails with its
// error (pip refuses such a file too), prefixed "<file>:<line>: -r <path>". All files together
// may hold at most `max_bytes` (resource_exhausted beyond).
[[nodiscard]] Result<RequirementsResult> read_requirements_txt(
    const std::filesystem::path& file, std::string_view project,
    std::size_t max_bytes = kDefaultMaxFileBytes);

class RequirementsTxt final : public InventorySource {
 public:
  RequirementsTxt(std::filesystem::path file, std::string project,
                  std::size_t max_bytes = kDefaultMaxFileBytes);

  std::string_view name() const override { return "requirements"; }
  // The pinned packages of read_requirements_txt.
  [[nodiscard]] Result<std::vector<Package>> scan() override;
  // What the last successful scan() found but could not pin; empty before it.
  const std::vector<std::string>& not_pinned() const { return not_pinned_; }
  std::vector<std::string> notes() const override {
    std::vector<std::string> out;
    for (const auto& line : not_pinned_) out.push_back("not pinned, not inventoried: " + line);
    return out;
  }

 private:
  std::filesystem::path file_;
  std::string project_;
  std::size_t max_bytes_;
  std::vector<std::string> not_pinned_;
};

// "requirements": a project's requirements.txt (register_builtin_sources).
InventoryKind requirements_inventory_kind();

}  // namespace patchparty::inventory
