// A scan's findings as files: patchparty's own JSON, and SARIF 2.1.0 for GitHub code scanning.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>

#include "core/model/finding.h"

namespace patchparty::exporters {

inline constexpr const char* kFindingsJsonSchema = "patchparty.findings/v1";
inline constexpr const char* kSarifSchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

struct ScanInfo {
  std::string host;
  std::int64_t scanned_at = 0;  // unix seconds
  std::string tool_version = PP_VERSION;
  std::string information_uri = "https://github.com/patchparty/patchparty";
  // Project name -> its directory, so lockfile paths in SARIF become relative to the
  // repository that is uploading them ("/srv/shop/composer.lock" -> "composer.lock").
  std::map<std::string, std::string> project_roots;
};

// Every finding given (resolved ones included, with resolved_at), in a stable order.
std::string findings_json(std::span<const Finding> findings, const ScanInfo& info);

// One rule per vulnerability, one result per unresolved finding; suppressed findings carry an
// external suppression so GitHub shows them as dismissed rather than dropping them.
std::string findings_sarif(std::span<const Finding> findings, const ScanInfo& info);

// The artifactLocation.uri a finding is reported at (exposed for tests).
std::string sarif_artifact_uri(const Finding& finding, const ScanInfo& info);
// partialFingerprints value: stable over rescans of the same host/project/package/vulnerability.
std::string finding_fingerprint(const Finding& finding);

}  // namespace patchparty::exporters
