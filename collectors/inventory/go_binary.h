// Modules and the Go toolchain a Go program was built with, from the build information the Go
// linker embeds in every ELF executable (what `go version -m FILE` prints), read without
// running the program.
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

// Finding the build information, as Go's debug/buildinfo does: the `.go.buildinfo` section, or
// in a binary without section headers the first writable, non-executable PT_LOAD segment; its
// first 64 KiB are searched at 16-byte alignment for the 32-byte header that starts with
// "\xff Go buildinf:". Byte 14 is the pointer size, byte 15 the flags:
//   - flags & 2 (Go 1.18 and later): the toolchain version and the module information follow the
//     header inline, each a uvarint length and the bytes;
//   - otherwise (Go up to 1.17): two pointers (4 or 8 bytes, big-endian when flags & 1) to Go
//     string headers {data pointer, length}, resolved to file offsets through the program
//     headers; every address and length is bounds-checked against the segment holding it.
// The module information is framed by two 16-byte sentinels; without them it is empty (a
// binary built outside module mode).
//
// Packages (ecosystem "Go", origin "gobinary", location `label`):
//   - "stdlib" at the toolchain version without "go", spelt as Go's vulnerability database
//     does ("go1.19.8" -> "1.19.8", "go1.20" -> "1.20.0", "go1.21rc2" -> "1.21.0-rc.2";
//     anything after a space, such as " X:boringcrypto", is dropped); a development toolchain
//     ("devel ...") has no release version an advisory could name, so it gives no stdlib package;
//   - `mod path version`: the main module only when it has a real version (`go install
//     m@v1.2.3`); "(devel)", a local build, is the project's own code;
//   - `dep path version [sum]`, version without its leading "v"; a following
//     `=> path version sum` replaces it: the replacement is what was built. A replacement
//     without a version is a local directory, and a dep at "(devel)" a workspace module: no
//     registry version, skipped;
//   - `path`, `build` and unknown lines are ignored.
// Not an ELF file, or no build information in it: failed_precondition. A header, pointer or
// length that points outside the file or its segment, or module lines of the wrong shape or with
// non-printable bytes: data_loss.
[[nodiscard]] Result<std::vector<Package>> parse_go_binary(std::string_view bytes,
                                                           std::string_view project,
                                                           std::string_view label = "go binary");

class GoBinary final : public InventorySource {
 public:
  // Reads only the ELF headers, the section name table and the build information (with pread),
  // so a 100 MB binary costs a few KiB of reads; `max_bytes` bounds the bytes read, not the
  // file's size (over it: resource_exhausted).
  GoBinary(std::filesystem::path binary, std::string project,
           std::size_t max_bytes = kDefaultMaxFileBytes);

  std::string_view name() const override { return "gobinary"; }
  [[nodiscard]] Result<std::vector<Package>> scan() override;

 private:
  std::filesystem::path binary_;
  std::string project_;
  std::size_t max_bytes_;
};

// "gobinary": a project's Go executable. No file name identifies one, so lockfile_names is
// empty: binaries are configured by path (`--inventory gobinary=FILE`).
InventoryKind gobinary_inventory_kind();

}  // namespace patchparty::inventory
