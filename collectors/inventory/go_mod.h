// Modules a Go program requires, from its go.mod.
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

// One Package per `require`d module, in file order: ecosystem "Go", origin "gomod", name the
// module path, version without its leading "v" (OSV spells Go versions "1.2.3" and
// "1.2.3+incompatible"), location `label`. `// indirect` requirements are kept: they are built
// into the program as much as direct ones.
//
// The file is read with a hand-written scanner of the go.mod grammar: `//` comments, quoted
// ("..." and `...`) paths, single-line directives and `verb ( ... )` blocks. Rules:
//   - `module`: the main module is the code itself, not a dependency: no package;
//   - `go 1.21`: a minimum language version, not the toolchain that builds the program, so it
//     gives no "stdlib" package (the toolchain's version is only known in the binary: see
//     go_binary.h); `toolchain go1.21.3` names a preferred toolchain, which the go command may
//     or may not have used: no package either;
//   - `replace old [v] => new v`: the replacement is what is built, so a required `old` (at
//     that version, or at any version when the replace names none; a versioned replace wins
//     over an unversioned one) is reported as `new` at the replacement's version;
//   - `replace old [v] => ./dir` (a local directory): the code comes from disk, with no version
//     any advisory could name, so the requirement is skipped;
//   - a replace of a module that is not required does nothing (as for the go command);
//   - `exclude`, `retract`, `godebug`, `tool` and `ignore` do not change what is built: ignored.
// A line the grammar does not allow (unknown directive, wrong number of fields, a version
// without its "v", an unterminated block or string, control characters) is data_loss naming
// `label` and the line.
[[nodiscard]] Result<std::vector<Package>> parse_go_mod(std::string_view text,
                                                        std::string_view project,
                                                        std::string_view label = "go.mod");

class GoMod final : public InventorySource {
 public:
  // Files over `max_bytes` are refused with resource_exhausted before being read.
  GoMod(std::filesystem::path mod_file, std::string project,
        std::size_t max_bytes = kDefaultMaxFileBytes);

  std::string_view name() const override { return "gomod"; }
  [[nodiscard]] Result<std::vector<Package>> scan() override;

 private:
  std::filesystem::path mod_file_;
  std::string project_;
  std::size_t max_bytes_;
};

// "gomod": a project's go.mod (register_builtin_sources).
InventoryKind gomod_inventory_kind();

}  // namespace patchparty::inventory
