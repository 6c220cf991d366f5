// Packages listed in an SPDX SBOM (JSON, spdxVersion SPDX-2.3 and SPDX-2.2), such as Syft, Trivy
// or a build system writes for a host, an image or a project.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/inventory/cyclonedx_sbom.h"
#include "collectors/inventory/inventory_kind.h"
#include "collectors/inventory/inventory_source.h"
#include "core/base/bounded_file.h"
#include "core/base/result.h"
#include "core/model/model.h"

namespace patchparty::inventory {

// `spdxVersion` must be "SPDX-2.3" or "SPDX-2.2" (another is failed_precondition; none, or a
// document that is not an object, is invalid_argument). Each object of `packages` is a
// candidate, read as cyclonedx_sbom.h describes (SbomResult, SbomCollector):
//   - its purls are the `externalRefs` with `referenceCategory` "PACKAGE-MANAGER" (2.3) or
//     "PACKAGE_MANAGER" (2.2) and `referenceType` "purl", `referenceLocator` the purl; each
//     usable one becomes a package through package_from_purl (a package with several is
//     several packages: one name in two ecosystems). A package with none usable is counted in
//     without_purl and listed with its name, versionInfo and primaryPackagePurpose;
//   - the same package (ecosystem, name, version, arch) twice is one package.
// The packages the document DESCRIBES (`documentDescribes`, or a DESCRIBES relationship from
// SPDXRef-DOCUMENT) are its subject, an image, a directory or an application: one becomes a
// package only with a usable purl and a primaryPackagePurpose of LIBRARY (or none, as in 2.2),
// and is not counted otherwise. Files, snippets and other relationships are not read; SPDX
// has no dev flag.
// Packages: origin "spdx", project = `project`, location = `label` (the SBOM file).
// Invalid JSON is data_loss with the byte offset; `packages` or `externalRefs` that is not an
// array, a package or reference that is not an object, or a member read here that is not a
// string is invalid_argument naming the package ("packages[3].externalRefs[0]").
[[nodiscard]] Result<SbomResult> parse_spdx_sbom(std::string_view json, std::string_view project,
                                                 std::string_view label = "sbom.spdx.json");

class SpdxSbom final : public InventorySource {
 public:
  // Files over `max_bytes` are refused with resource_exhausted before being read.
  SpdxSbom(std::filesystem::path file, std::string project,
           std::size_t max_bytes = kDefaultMaxFileBytes);

  std::string_view name() const override { return "spdx"; }
  [[nodiscard]] Result<std::vector<Package>> scan() override;
  // What the last successful scan() found, its unusable packages included.
  const SbomResult& last_result() const { return last_; }
  std::vector<std::string> notes() const override { return sbom_notes(last_); }

 private:
  std::filesystem::path file_;
  std::string project_;
  std::size_t max_bytes_;
  SbomResult last_;
};

// "spdx": an SBOM named in the configuration or on the command line; no lockfile names and no
// single ecosystem (register_builtin_sources).
InventoryKind spdx_inventory_kind();

}  // namespace patchparty::inventory
