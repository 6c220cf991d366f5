// A host's inventory as a CycloneDX 1.5 JSON SBOM (https://cyclonedx.org/docs/1.5/json/), for
// tools that take SBOMs (Dependency-Track, Grype, Trivy) and for reading back with
// collectors/inventory/cyclonedx_sbom.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/model/model.h"

namespace patchparty::sbom {

struct SbomInput {
  std::string host_name;       // the host the inventory was taken on
  std::string host_ecosystem;  // its OSV ecosystem, "Debian:12"; "" when not known
  std::string os_id;           // os-release ID and VERSION_ID, "" when not known
  std::string os_version;
  std::string tool_version;    // patchparty's
  std::int64_t timestamp = 0;  // unix seconds the inventory was taken
  // An RFC 4122 UUID ("3e671687-395b-41f5-a30f-a58921a69b79") chosen by the caller, so a
  // document can be written again byte for byte; "" leaves serialNumber out.
  std::string serial_uuid;
  std::vector<Package> packages;
};

// The document:
//   - serialNumber "urn:uuid:<serial_uuid>", version 1, metadata.timestamp in RFC 3339 UTC,
//     metadata.tools.components = patchparty (1.5's form; the 1.4 tools array is deprecated);
//   - metadata.component is the host, type "operating-system": CycloneDX 1.5 has no type for
//     a machine ("device" is hardware: "a processor, or chip-set"), and what is inventoried is
//     the software installed on an operating system. Its name is the host name, its version
//     the os-release VERSION_ID, and properties patchparty:os-id / patchparty:ecosystem say
//     which distribution it is;
//   - one component per package, type "library" for application and OS packages alike, as
//     Syft and Trivy write them (CycloneDX's "library" covers any reusable package; the
//     installed OS is the metadata component, not each package of it); name as the ecosystem
//     names it, except Maven's group:artifact, written as CycloneDX's group and name; version;
//     purl from purl_of (core/model/purl.h); bom-ref the purl, or purl + "|" + location when
//     the same purl is listed at several locations (one npm package installed twice), with
//     "#2", "#3" added should even that repeat; properties patchparty:project,
//     patchparty:location and patchparty:source (the origin) when set, patchparty:dev and
//     patchparty:optional when true. Packages stay in the order given.
// No dependencies: patchparty reads what is installed, not which package needs which, and an
// empty dependency graph would claim that nothing depends on anything. Strings that are not
// valid UTF-8 are written with U+FFFD (exporters::JsonOut).
std::string write_cyclonedx(const SbomInput& input);

}  // namespace patchparty::sbom
