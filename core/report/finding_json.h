// One Finding as a JSON object: the one writer for every published output that shows a finding,
// so a field is spelled, rounded and nulled the same way wherever it appears. (The store keeps
// its own record of a finding, core/store's finding_to_json, which only the store reads back.)
#pragma once

#include "core/model/finding.h"
#include "core/report/json_output.h"

namespace patchparty::exporters {

// The outputs disagree on layout and spelling, and each one is a published schema, so each keeps
// its own form rather than converging on one.
enum class FindingJsonForm {
  // patchparty.findings/v1's findings[] (`patchparty scan --format json`, /api/v1/findings):
  // every field; package, cvss, epss, kev and suppression as objects; absent values as null.
  report,
  // The backlog's suppressed[]: flat; the package by name with "installed" beside it; kev as a
  // flag; the suppression's rule, reason, VEX fields and expiry inline, without "expired".
  backlog_suppressed,
  // A SARIF result's "properties" bag: camelCase; project and fixedVersion left out when empty.
  sarif_properties,
};

void write_finding(JsonOut& j, const Finding& f, FindingJsonForm form);

}  // namespace patchparty::exporters
