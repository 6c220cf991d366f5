// Pages of NVD's CVE API 2.0 for tests, written from NVD's response schema (cve_api_json_2.0):
// the members a real page has, CVEs with v3.1, v3.0 and v2 metrics whose scores are the ones
// FIRST's calculators give for their vectors.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace patchparty::testing {

inline constexpr std::string_view kNvdV31Critical =
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";  // 9.8
inline constexpr std::string_view kNvdV31High =
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N";  // 7.5
inline constexpr std::string_view kNvdV31Medium =
    "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N";  // 5.3
inline constexpr std::string_view kNvdV30Critical =
    "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";                           // 9.8
inline constexpr std::string_view kNvdV2High = "AV:N/AC:L/Au:N/C:P/I:P/A:P";  // 7.5

struct NvdMetric {
  std::string_view version;  // "3.1", "3.0", "2.0"
  std::string_view source;   // "nvd@nist.gov", a CNA's address
  std::string_view type;     // "Primary", "Secondary"
  std::string_view vector;
  std::string score;  // as JSON writes it: "9.8"
};

inline std::string nvd_metric_json(const NvdMetric& m) {
  const std::string head = R"({"source": ")" + std::string(m.source) + R"(", "type": ")" +
                           std::string(m.type) + R"(", "cvssData": {"version": ")" +
                           std::string(m.version) + R"(", "vectorString": ")" +
                           std::string(m.vector) + R"(", "baseScore": )" + m.score;
  if (m.version == "2.0")
    return head + R"(}, "baseSeverity": "HIGH", "exploitabilityScore": 10.0, "impactScore": 6.4})";
  return head + R"(, "baseSeverity": "HIGH"}, "exploitabilityScore": 3.9, "impactScore": 5.9})";
}

// One entry of "vulnerabilities"; metrics go to the list of their version, in the order given.
inline std::string nvd_cve_json(std::string_view id, const std::vector<NvdMetric>& metrics,
                                std::string_view last_modified = "2024-02-14T20:15:46.330") {
  std::string lists[3];
  constexpr std::string_view kKeys[3] = {"cvssMetricV31", "cvssMetricV30", "cvssMetricV2"};
  for (const auto& m : metrics) {
    const int i = m.version == "3.1" ? 0 : m.version == "3.0" ? 1 : 2;
    lists[i] += (lists[i].empty() ? "" : ", ") + nvd_metric_json(m);
  }
  std::string block;
  for (int i = 0; i < 3; ++i) {
    if (lists[i].empty()) continue;
    block +=
        (block.empty() ? "" : ", ") + ("\"" + std::string(kKeys[i]) + "\": [" + lists[i] + "]");
  }
  return R"({"cve": {"id": ")" + std::string(id) +
         R"(", "sourceIdentifier": "cve@mitre.org", "published": "2024-01-02T03:04:05.678", )"
         R"("lastModified": ")" +
         std::string(last_modified) +
         R"(", "vulnStatus": "Analyzed", "descriptions": [{"lang": "en", "value": "d"}], )"
         R"("metrics": {)" +
         block + R"(}, "references": []}})";
}

// A page holding `entries` from `start`, of `total` results (-1: exactly these).
inline std::string nvd_page_json(const std::vector<std::string>& entries, std::int64_t total = -1,
                                 std::int64_t start = 0, std::int64_t per_page = 2000) {
  if (total < 0) total = start + static_cast<std::int64_t>(entries.size());
  std::string list;
  for (const auto& e : entries) list += (list.empty() ? "" : ", ") + e;
  return R"({"resultsPerPage": )" + std::to_string(per_page) + R"(, "startIndex": )" +
         std::to_string(start) + R"(, "totalResults": )" + std::to_string(total) +
         R"(, "format": "NVD_CVE", "version": "2.0", "timestamp": "2024-03-01T00:00:00.000", )"
         R"("vulnerabilities": [)" +
         list + "]}";
}

}  // namespace patchparty::testing
