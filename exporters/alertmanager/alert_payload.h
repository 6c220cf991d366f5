// The JSON body of POST /api/v2/alerts, and the alert a vulnerability finding becomes.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "core/model/finding.h"
#include "exporters/alertmanager/alert.h"

namespace patchparty::exporters {

inline constexpr std::string_view kVulnerabilityAlertName = "PatchPartyVulnerability";
// Label values are matched and grouped on and end up in notification titles: keep them short.
inline constexpr std::size_t kMaxLabelValueBytes = 256;
// Annotations are free text, but a feed's summary can run to pages.
inline constexpr std::size_t kMaxAnnotationBytes = 4096;
inline constexpr std::size_t kMaxLinks = 5;

// Valid UTF-8 without control characters (tabs and newlines become spaces, others are dropped),
// cut at a character boundary to at most `max_bytes`.
std::string sanitize_value(std::string_view value, std::size_t max_bytes, bool keep_newlines);

bool valid_label_name(std::string_view name);

// A link for a vulnerability id when the feed gave none: NVD for CVE-*, GitHub for GHSA-*, the
// Debian tracker for DSA/DLA/DTSA-*, osv.dev otherwise.
std::string advisory_link(std::string_view id);

// Labels alertname, severity, host, package, vulnerability, ecosystem (and project for
// lockfile packages); annotations summary, description, fixed_version, installed_version, risk,
// reason, links. startsAt is first_seen; a resolved finding gets endsAt = resolved_at.
// `reason` says which rule paged (alert_rules.h).
Alert vulnerability_alert(const Finding& finding, std::string_view reason);

// The array Alertmanager expects. Labels with invalid names are dropped (a bug in the caller,
// but one bad label must not cost the whole batch); values are sanitised.
std::string alerts_json(std::span<const Alert> alerts);

}  // namespace patchparty::exporters
