// Python distributions installed on the host: the *.dist-info and *.egg-info records that pip,
// setuptools and Debian's python3-* packages leave in site-packages and dist-packages folders,
// read the way importlib.metadata.distributions(path=[folder]) finds them.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/inventory/inventory_source.h"
#include "core/base/result.h"
#include "core/model/model.h"

namespace patchparty::inventory {

// Enough for the headers of any real METADATA; the long description after them may be cut off.
inline constexpr std::size_t kDefaultMaxPythonMetadataBytes = 1u << 20;

struct PythonMetadata {
  std::string name;     // "Name:" as written ("PyYAML")
  std::string version;  // "Version:" as written
};

// The "Name:" and "Version:" headers of a core metadata file (METADATA, PKG-INFO), parsed the
// way Python's email.parser reads it for importlib.metadata: header names are case-insensitive,
// the first of a repeated header counts, the block ends at the first empty line or the first
// line that is neither "Name: value" nor a continuation (starting with a space or tab, which
// is not read: Name and Version are one line). Values are trimmed of spaces and tabs.
// invalid_argument when either header is missing or not printable ASCII without spaces.
[[nodiscard]] Result<PythonMetadata> parse_python_metadata(std::string_view text);

struct PythonSiteScan {
  std::vector<Package> packages;  // sorted by location
  std::size_t skipped = 0;        // records that could not be read or parsed
};

// Every entry of every folder in `dirs` whose name ends in ".dist-info" or ".egg-info" (any
// case): a folder is read through its METADATA, else its PKG-INFO (the first one present and not
// empty); a file (Debian ships some "*.egg-info" files) is read itself. One Package per record:
// ecosystem "PyPI", origin "python-site", empty project, location the record's path; the same
// distribution recorded twice (Debian's "cryptography-38.0.4.dist-info" and
// "cryptography.egg-info") is two packages. Only the first `max_bytes` of a file are read; a
// record whose headers do not end within them, or that has no readable Name and Version, is
// counted in `skipped`. A folder that does not exist is passed over; one that cannot be listed
// is an error.
[[nodiscard]] Result<PythonSiteScan> scan_python_site(
    const std::vector<std::filesystem::path>& dirs,
    std::size_t max_bytes = kDefaultMaxPythonMetadataBytes);

// What Debian's Python searches: /usr/lib/python3/dist-packages (python3-* packages),
// /usr/local/lib/python3.X/dist-packages and site-packages (pip as root), and
// /usr/lib/python3.X/site-packages, with python3.X expanded to every such folder there now.
std::vector<std::filesystem::path> default_python_site_dirs();

// Not a lockfile kind and not registered as one: a host-level source. Packages that dpkg
// installed under /usr/lib/python3/dist-packages are Debian packages as well (python3-yaml is
// PyYAML 6.0); both are reported, and whether the PyPI view of them is kept is the caller's call.
class PythonSite final : public InventorySource {
 public:
  // default_python_site_dirs(), expanded at each scan().
  PythonSite() = default;
  explicit PythonSite(std::vector<std::filesystem::path> dirs,
                      std::size_t max_bytes = kDefaultMaxPythonMetadataBytes);

  std::string_view name() const override { return "python-site"; }
  [[nodiscard]] Result<std::vector<Package>> scan() override;
  // Records the last scan() could not read.
  std::size_t skipped() const { return skipped_; }
  std::vector<std::string> notes() const override {
    if (!skipped_) return {};
    return {std::to_string(skipped_) + " distributions without a readable Name and Version"};
  }

 private:
  std::optional<std::vector<std::filesystem::path>> dirs_;
  std::size_t max_bytes_ = kDefaultMaxPythonMetadataBytes;
  std::size_t skipped_ = 0;
};

}  // namespace patchparty::inventory
