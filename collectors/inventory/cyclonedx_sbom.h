// Packages listed in a CycloneDX SBOM (JSON, specVersion 1.4, 1.5 and 1.6), such as Syft, Trivy
// or cdxgen write for a host, an image or a project.
#pragma once

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "collectors/inventory/inventory_kind.h"
#include "collectors/inventory/inventory_source.h"
#include "core/base/bounded_file.h"
#include "core/base/result.h"
#include "core/model/model.h"

namespace patchparty::inventory {

// What an SBOM reader found (both readers, cyclonedx and spdx). A component it cannot use is
// never dropped silently: it is counted, and named with the reason, so the operator knows which
// parts of the SBOM patchparty does not watch.
struct SbomResult {
  std::vector<Package> packages;
  std::size_t without_purl = 0;       // components without a usable purl
  std::vector<std::string> unusable;  // "name@version (type): why", the first kMaxUnusableListed
};

// The listing stops here (the count does not), with a last line saying how many more there are.
inline constexpr std::size_t kMaxUnusableListed = 1000;

// "N components without a usable package URL", then each listed one: InventorySource::notes().
std::vector<std::string> sbom_notes(const SbomResult& result);

// One SBOM entry as both readers see it, and the rules they share (de-duplication, counting and
// listing what cannot be used); used by cyclonedx_sbom.cpp and spdx_sbom.cpp.
struct SbomCandidate {
  std::vector<std::string> purls;   // as written; several for an SPDX package with several refs
  std::string name, version, type;  // as written, for the listing of unusable entries
  bool dev = false, optional = false;
};

class SbomCollector {
 public:
  SbomCollector(std::string_view origin, std::string_view project, std::string_view label);
  // Each usable purl becomes a package; with none, the entry is counted and listed.
  void add(const SbomCandidate& c);
  // The document's subject: its usable purls become packages, and it is not counted otherwise.
  void add_subject(const SbomCandidate& c);
  SbomResult finish() &&;

 private:
  std::size_t add_usable(const SbomCandidate& c, std::string& why);

  std::string origin_, project_, label_;
  SbomResult result_;
  // "ecosystem\0name\0version\0arch" -> position in result_.packages
  std::map<std::string, std::size_t> seen_;
};

// `bomFormat` must be "CycloneDX" (else invalid_argument) and `specVersion` "1.4", "1.5" or
// "1.6" (another is failed_precondition). Every object of `components`, and of their nested
// `components` at any depth (walked with an explicit stack, not recursion), is a candidate:
//   - its `purl` becomes the package through package_from_purl (core/model/purl.h): ecosystem,
//     name, version, arch and source package. Without a purl, or with one patchparty cannot
//     match (no version, a generic/oci/github type, an OS purl without a distro release, a
//     purl that does not parse), it goes to without_purl/unusable;
//   - `scope: "excluded"` (CycloneDX: not part of the runtime, e.g. test or build tools) or
//     the property `patchparty:dev` = "true" sets dev; `scope: "optional"` or
//     `patchparty:optional` = "true" sets optional (the properties are what
//     exporters/sbom/cyclonedx_writer.h writes);
//   - the same package (ecosystem, name, version, arch) listed twice is one package; its dev
//     and optional flags are kept only if every listing has them.
// `metadata.component`, the thing the SBOM describes (an image, a host, an application), is a
// package only when it is a "library" with a usable purl; otherwise it is neither a package nor
// counted. Its own sub-components are not read: Syft, Trivy and cdxgen list inventory under the
// top-level `components`. Dependencies, vulnerabilities and services are not read.
// Packages: origin "cyclonedx", project = `project`, location = `label` (the SBOM file).
// Invalid JSON is data_loss with the byte offset; a component that is not an object, a purl,
// name, version or scope that is not a string, `components` that is not an array are
// invalid_argument naming the component's path ("components[3].components[0]").
[[nodiscard]] Result<SbomResult> parse_cyclonedx_sbom(std::string_view json,
                                                      std::string_view project,
                                                      std::string_view label = "sbom.cdx.json");

class CycloneDxSbom final : public InventorySource {
 public:
  // Files over `max_bytes` are refused with resource_exhausted before being read.
  CycloneDxSbom(std::filesystem::path file, std::string project,
                std::size_t max_bytes = kDefaultMaxFileBytes);

  std::string_view name() const override { return "cyclonedx"; }
  [[nodiscard]] Result<std::vector<Package>> scan() override;
  // What the last successful scan() found, its unusable components included.
  const SbomResult& last_result() const { return last_; }
  std::vector<std::string> notes() const override { return sbom_notes(last_); }

 private:
  std::filesystem::path file_;
  std::string project_;
  std::size_t max_bytes_;
  SbomResult last_;
};

// "cyclonedx": an SBOM named in the configuration or on the command line; no lockfile names, as
// SBOM files have no fixed name, and no single ecosystem (register_builtin_sources).
InventoryKind cyclonedx_inventory_kind();

}  // namespace patchparty::inventory
