// OpenVEX documents (spec v0.2.0, https://github.com/openvex/spec): a supplier's or our own
// statements that a product is, or is not, affected by a vulnerability.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/result.h"
#include "core/model/purl.h"

namespace patchparty::suppress {

struct VexStatement {
  std::string vulnerability;         // vulnerability.name
  std::vector<std::string> aliases;  // vulnerability.aliases
  // Every package URL the statement names: products' @id and identifiers.purl, and those of
  // their subcomponents. Other identifiers (image digests, CPEs) cannot name an installed
  // package and are left out.
  std::vector<Purl> products;
  std::string status;  // not_affected | affected | fixed | under_investigation
  std::string justification, impact_statement, action_statement, status_notes;
  std::int64_t timestamp = 0;  // unix seconds: the statement's, else the document's
  std::string where;           // the statement's @id, else "file:statements[i]"

  // not_affected and fixed take the finding off the list; affected and under_investigation
  // leave it there, as a note.
  bool suppresses() const { return status == "not_affected" || status == "fixed"; }
};

// Every problem is reported, one per line, as "file: statements[i].key: message", in one
// invalid_argument error, JSON that does not parse included. Members the spec does not
// define are ignored, so later spec versions still load. Beyond the JSON schema, a suppressing
// statement must name at least one package URL: without one it could never match, and the
// operator who wrote it expects a finding to disappear.
[[nodiscard]] Result<std::vector<VexStatement>> parse_openvex(std::string_view json,
                                                              std::string_view file);

}  // namespace patchparty::suppress
