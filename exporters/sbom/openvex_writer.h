// patchparty's triage as an OpenVEX v0.2.0 document (https://github.com/openvex/spec), the format
// core/suppress/openvex.h reads: what the operator decided about a vulnerability in a package.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace patchparty::sbom {

struct VexExportStatement {
  std::string vulnerability;          // "CVE-2024-1234", "GHSA-..."
  std::vector<std::string> aliases;   // other ids of the same vulnerability
  std::vector<std::string> products;  // package URLs, purl_of() of the installed packages
  std::string status;                 // not_affected | affected | fixed | under_investigation
  // not_affected only: component_not_present, vulnerable_code_not_present,
  // vulnerable_code_not_in_execute_path, vulnerable_code_cannot_be_controlled_by_adversary,
  // inline_mitigations_already_exist; or "" with an impact_statement instead.
  std::string justification;
  std::string impact_statement;
  std::string action_statement;  // required by OpenVEX with status affected
  std::int64_t timestamp = 0;    // unix seconds; 0: the document's
};

struct VexExport {
  std::string author;          // who made the statements: an operator, a team, "patchparty"
  std::int64_t timestamp = 0;  // unix seconds
  // The document's IRI, chosen by the caller so that a re-export can keep it
  // ("https://openvex.dev/docs/public/vex-<uuid>" or "urn:uuid:<uuid>").
  std::string id;
  std::vector<VexExportStatement> statements;
};

// `@context` "https://openvex.dev/ns/v0.2.0", `@id`, author, timestamp (RFC 3339 UTC), version
// 1, and statements in the order given: vulnerability {name, aliases}, timestamp when the
// statement has its own, products [{"@id": purl}], status, and justification,
// impact_statement and action_statement when set. Empty members are left out rather than
// written empty. The statements are written as given: the caller checks them (parse_openvex
// refuses, e.g., not_affected without justification or impact statement).
std::string write_openvex(const VexExport& vex);

}  // namespace patchparty::sbom
